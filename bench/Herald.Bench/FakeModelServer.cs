using System.Net;
using Grpc.Core;
using Herald.Annotators.Remote.Inference.Grpc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Herald.Bench;

/// <summary>
/// <c>bench -- fake-model-server --port P --cost-ms C</c>: a gRPC Open Inference Protocol server with one model,
/// <c>urgency</c>, that costs a fixed time per request whatever its batch (as a GPU's). The remote benchmark runs it as a
/// process of its own, outside the silo.
/// </summary>
public static class FakeModelServer
{
    public static async Task RunAsync(int port, int costMs)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(new Cost(TimeSpan.FromMilliseconds(costMs)));
        var app = builder.Build();
        app.MapGrpcService<UrgencyService>();
        await app.StartAsync();
        Console.WriteLine($"listening on grpc://127.0.0.1:{port}");
        await app.WaitForShutdownAsync(); // until killed
    }

    private sealed record Cost(TimeSpan PerRequest);

    private sealed class UrgencyService(Cost cost) : GRPCInferenceService.GRPCInferenceServiceBase
    {
        public override Task<ServerReadyResponse> ServerReady(ServerReadyRequest request, ServerCallContext context) =>
            Task.FromResult(new ServerReadyResponse { Ready = true });

        public override Task<ModelMetadataResponse> ModelMetadata(ModelMetadataRequest request, ServerCallContext context)
        {
            var metadata = new ModelMetadataResponse { Name = "urgency", Platform = "fake" };
            metadata.Inputs.Add(new ModelMetadataResponse.Types.TensorMetadata { Name = "text", Datatype = "BYTES", Shape = { -1, 1 } });
            metadata.Outputs.Add(new ModelMetadataResponse.Types.TensorMetadata { Name = "probabilities", Datatype = "FP32", Shape = { -1, 2 } });
            return Task.FromResult(metadata);
        }

        public override async Task<ModelInferResponse> ModelInfer(ModelInferRequest request, ServerCallContext context)
        {
            await Task.Delay(cost.PerRequest);
            var texts = request.Inputs.Single(i => i.Name == "text").Contents.BytesContents;
            var output = new ModelInferResponse.Types.InferOutputTensor { Name = "probabilities", Datatype = "FP32", Shape = { texts.Count, 2 }, Contents = new InferTensorContents() };
            foreach (var text in texts)
            {
                var high = text.Span.IndexOf("urgent"u8) >= 0 ? 0.9f : 0.2f;
                output.Contents.Fp32Contents.Add(1 - high);
                output.Contents.Fp32Contents.Add(high);
            }
            var response = new ModelInferResponse { ModelName = "urgency", ModelVersion = "1" };
            response.Outputs.Add(output);
            return response;
        }
    }
}
