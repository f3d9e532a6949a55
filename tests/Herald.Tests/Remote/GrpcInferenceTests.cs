using System.Buffers.Binary;
using System.Net;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Grpc.Core;
using Herald.Annotators;
using Herald.Annotators.Remote.Inference.Grpc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Herald.Tests.Remote;

/// <summary>
/// The <c>inference</c> kind over gRPC (HTTP/2 on loopback) against a model server implementing the protocol's service,
/// answering in raw output contents as Triton does by default.
/// </summary>
public sealed class GrpcInferenceTests : IAsyncLifetime
{
    private WebApplication _server = null!;
    private Uri _url = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        _server = builder.Build();
        _server.MapGrpcService<UrgencyServer>();
        await _server.StartAsync();
        _url = new Uri(_server.Urls.Single().Replace("http://", "grpc://"));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private JsonObject Options(string model, string input = "text") => new()
    {
        ["url"] = _url.ToString(),
        ["model"] = model,
        ["inputs"] = new JsonObject { [input] = "text" },
        ["labels"] = new JsonArray("low", "high"),
        ["batchWaitMs"] = 100,
    };

    [Fact]
    public async Task Documents_are_batched_into_one_ModelInfer_and_raw_outputs_are_read()
    {
        var annotator = RemoteTestKit.Create("inference", Options("urgency"));
        await annotator.CheckAsync(CancellationToken.None);

        var annotations = await Task.WhenAll(new[] { "breaking news", "a calm day", "urgent recall" }
            .Select(t => annotator.AnnotateAsync(RemoteTestKit.Input(t), CancellationToken.None).AsTask()));

        Assert.Equal(["high", "low", "high"], annotations.Select(a => a.Value!["label"]!.GetValue<string>()));
        Assert.Equal([3], UrgencyServer.BatchSizes.Distinct());
    }

    [Fact]
    public async Task The_deploy_check_names_a_missing_model_and_an_unknown_input()
    {
        var noModel = await Assert.ThrowsAsync<AnnotatorConfigurationException>(() => RemoteTestKit.Create("inference", Options("sentiment")).CheckAsync(CancellationToken.None));
        Assert.Equal($"{_url}: the server has no model 'sentiment'", noModel.Message);

        var badInput = await Assert.ThrowsAsync<AnnotatorConfigurationException>(() => RemoteTestKit.Create("inference", Options("urgency", "body")).CheckAsync(CancellationToken.None));
        Assert.Equal($"{_url}: model 'urgency' has no input 'body' (its inputs: text BYTES [-1, 1])", badInput.Message);
    }

    /// <summary>A one-model server: urgency of each text as FP32 [batch, 2] probabilities of [low, high].</summary>
    private sealed class UrgencyServer : GRPCInferenceService.GRPCInferenceServiceBase
    {
        public static readonly System.Collections.Concurrent.ConcurrentQueue<int> BatchSizes = new();

        public override Task<ServerReadyResponse> ServerReady(ServerReadyRequest request, ServerCallContext context) =>
            Task.FromResult(new ServerReadyResponse { Ready = true });

        public override Task<ModelMetadataResponse> ModelMetadata(ModelMetadataRequest request, ServerCallContext context)
        {
            if (request.Name != "urgency") throw new RpcException(new Status(StatusCode.NotFound, $"Request for unknown model: '{request.Name}' is not found"));
            var metadata = new ModelMetadataResponse { Name = "urgency", Platform = "test" };
            metadata.Inputs.Add(new ModelMetadataResponse.Types.TensorMetadata { Name = "text", Datatype = "BYTES", Shape = { -1, 1 } });
            metadata.Outputs.Add(new ModelMetadataResponse.Types.TensorMetadata { Name = "probabilities", Datatype = "FP32", Shape = { -1, 2 } });
            return Task.FromResult(metadata);
        }

        public override Task<ModelInferResponse> ModelInfer(ModelInferRequest request, ServerCallContext context)
        {
            var texts = request.Inputs.Single(i => i.Name == "text").Contents.BytesContents.Select(b => b.ToStringUtf8()).ToList();
            BatchSizes.Enqueue(texts.Count);
            var raw = new byte[texts.Count * 2 * sizeof(float)];
            for (var i = 0; i < texts.Count; i++)
            {
                var high = texts[i].Contains("urgent") || texts[i].Contains("breaking") ? 0.9f : 0.2f;
                BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * 8), 1 - high);
                BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * 8 + 4), high);
            }
            var response = new ModelInferResponse { ModelName = "urgency", ModelVersion = "1" };
            response.Outputs.Add(new ModelInferResponse.Types.InferOutputTensor { Name = "probabilities", Datatype = "FP32", Shape = { texts.Count, 2 } });
            response.RawOutputContents.Add(ByteString.CopyFrom(raw));
            return Task.FromResult(response);
        }
    }
}
