using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace Herald.Cli.Training;

/// <summary>
/// Trains a classification head on embeddings with ML.NET (SDCA maximum entropy: a calibrated linear model, small and
/// fast) and exports it to ONNX with its labels in the model's metadata, ready for the <c>onnx-classifier</c> kind.
/// </summary>
public sealed class HeadTrainer(int dimensions, int seed = 1)
{
    private sealed class Row
    {
        public float[] Features { get; set; } = [];
        public string Label { get; set; } = "";
    }

    private sealed class LabelOnly
    {
        public string Label { get; set; } = "";
    }

    private sealed class FeaturesOnly
    {
        public float[] Features { get; set; } = [];
    }

    /// <summary>The ONNX bytes of a head that maps a vector to a distribution over <paramref name="labels"/>, in that order.</summary>
    public byte[] Train(IReadOnlyList<(float[] Vector, string Label)> examples, IReadOnlyList<string> labels)
    {
        var ml = new MLContext(seed);
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimensions);
        var data = ml.Data.LoadFromEnumerable(examples.Select(e => new Row { Features = e.Vector, Label = e.Label }), schema);

        // Keys in the given label order, so the exported scores line up with the labels written beside them.
        var keyData = ml.Data.LoadFromEnumerable(labels.Select(l => new LabelOnly { Label = l }));
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label", keyData: keyData).Fit(data).Transform(data);
        // One thread: SDCA is then deterministic, so the same data gives the same model.
        var trainer = ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
        {
            LabelColumnName = "Label",
            FeatureColumnName = "Features",
            MaximumNumberOfIterations = 200,
            NumberOfThreads = 1,
        }).Fit(keyed);

        // Export from a view with only the features, so the model has exactly one input.
        var featuresSchema = SchemaDefinition.Create(typeof(FeaturesOnly));
        featuresSchema[nameof(FeaturesOnly.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimensions);
        var featuresOnly = ml.Data.LoadFromEnumerable(examples.Take(1).Select(e => new FeaturesOnly { Features = e.Vector }), featuresSchema);
        using var onnx = new MemoryStream();
        ml.Model.ConvertToOnnx(trainer, featuresOnly, onnx);
        return OnnxMetadata.Append(onnx.ToArray(), "labels", string.Join(',', labels));
    }
}
