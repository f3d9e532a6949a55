using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using Herald.Annotators;
using Herald.Annotators.Serving;
using Herald.Pipelines;

namespace Herald.Tests.Annotators;

/// <summary>Annotators record metrics only on the meter their host hands them when it activates them.</summary>
public sealed class AnnotatorMetricsTests
{
    [Fact]
    public async Task A_batcher_records_batch_sizes_on_the_meter_it_was_handed_and_nowhere_else()
    {
        using var meter = new Meter($"herald-test-{Guid.NewGuid():n}");
        var sizes = new List<int>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) => { if (instrument.Meter == meter) l.EnableMeasurementEvents(instrument); };
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) =>
        {
            Assert.Equal("herald.model.batch_size", instrument.Name);
            Assert.Equal(("model", "m.onnx"), (tags[0].Key, (string?)tags[0].Value));
            lock (sizes) sizes.Add(value);
        });
        listener.Start();
        await using var unmeasured = new MicroBatcher<int, int>(xs => [.. xs], 4, TimeSpan.FromMilliseconds(5), model: "m.onnx");
        await using var measured = new MicroBatcher<int, int>(xs => [.. xs], 4, TimeSpan.FromMilliseconds(5), model: "m.onnx");
        measured.MeasureWith(meter);
        measured.MeasureWith(meter); // a second silo of the same host: recorded once

        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => unmeasured.SubmitAsync(i, CancellationToken.None)));
        Assert.Empty(sizes);
        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => measured.SubmitAsync(i, CancellationToken.None)));

        lock (sizes) Assert.Equal(10, sizes.Sum());
    }

    [Fact]
    public void Activation_hands_the_host_meter_to_measured_annotators_but_a_scratch_check_does_not()
    {
        using var meter = new Meter("herald-test");
        var kind = new AnnotatorKind<object>("measured", "records metrics", (_, _) => new Measured());
        var spec = new AnnotatorSpec("m", "1.0.0", "measured", new JsonObject(), Path.GetTempPath());
        var deployed = new AnnotatorInstances(meter);

        var scratch = (Measured)deployed.Scratch().GetOrCreate(spec, kind);
        var activated = (Measured)deployed.GetOrCreate(spec, kind);

        Assert.Null(scratch.Meter);
        Assert.Same(meter, activated.Meter);
    }

    private sealed class Measured : IAnnotator, IMeasuredAnnotator
    {
        public Meter? Meter { get; private set; }

        public void MeasureWith(Meter meter) => Meter = meter;

        public ValueTask<Annotation> AnnotateAsync(AnnotatorInput input, CancellationToken cancellationToken) => ValueTask.FromResult(Annotation.Of(new JsonObject()));
    }
}
