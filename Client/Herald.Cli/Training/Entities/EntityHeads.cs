using System.Text.Json.Nodes;
using Herald.Annotators;
using Herald.Annotators.Onnx.Classification;
using Herald.Annotators.Onnx.Embeddings;
using Herald.Annotators.Onnx.Heads;
using Herald.Annotators.Onnx.Models;
using Herald.Annotators.Rules;
using Herald.Cli.Training.Heads;

namespace Herald.Cli.Training.Entities;

/// <summary>
/// Trains the entity head (BIO over ORG, PER and the appointee's TITLE) and the role head (each party's role, and which
/// amount is the event's) on the encoder's word states, writes them as ONNX, and measures the written files as the
/// pipeline serves them: on the held-out sixth and, when given, on the labelled sample news.
/// </summary>
internal static class EntityHeads
{
    public const string EntitiesFile = "entities-1.onnx";
    public const string RolesFile = "roles-1.onnx";
    public static readonly string[] EntityLabels = ["O", "B-ORG", "I-ORG", "B-PER", "I-PER", "B-TITLE", "I-TITLE"];

    public static EntityReport Train(string dataPath, string outputDirectory, string encoderModel, string? samples, string? sampleLabels, Action<string> progress)
    {
        var examples = EntityExample.ReadTraining(dataPath);
        using var encoder = new SentenceEncoder(BuiltInModels.Onnx(encoderModel), BuiltInModels.MiniLmVocabulary(), 256, Environment.ProcessorCount);
        progress($"encoding {examples.Count} examples with {encoderModel}");
        var states = Encode(encoder, [.. examples.Select(e => e.Text)]);
        var train = examples.Select((e, i) => (Example: e, States: states[i])).Where(x => !x.Example.IsHeldOut).ToList();
        var heldOut = examples.Select((e, i) => (Example: e, States: states[i])).Where(x => x.Example.IsHeldOut).ToList();

        var words = train.SelectMany(x => WordFeatures.Of(x.States).Zip(WordLabels(x.Example, x.States))).ToList();
        progress($"training the entity head on {words.Count} words of {train.Count} examples ({heldOut.Count} held out)");
        var entityMlp = Mlp.Train([.. words.Select(w => w.First)], [.. words.Select(w => Array.IndexOf(EntityLabels, w.Second))], EntityLabels.Length,
            hidden: 128, epochs: 4, seed: 1, progress: progress);
        var spans = train.SelectMany(x => SpanRows(x.Example, x.States)).ToList();
        progress($"training the role head on {spans.Count} spans");
        var roleMlp = Mlp.Train([.. spans.Select(s => s.Features)], [.. spans.Select(s => Array.IndexOf(SignalRoles.Labels, s.Label))], SignalRoles.Labels.Length,
            hidden: 128, epochs: 5, seed: 1, progress: progress);

        Directory.CreateDirectory(outputDirectory);
        var metadata = new Dictionary<string, string> { ["encoder"] = encoderModel };
        var entitiesPath = Path.Combine(outputDirectory, EntitiesFile);
        var rolesPath = Path.Combine(outputDirectory, RolesFile);
        File.WriteAllBytes(entitiesPath, entityMlp.ToOnnx(EntityLabels, metadata));
        File.WriteAllBytes(rolesPath, roleMlp.ToOnnx(SignalRoles.Labels, metadata));

        // Measured from the files, as the pipeline's kinds serve them.
        var entityHead = new EntityHead(new ClassificationHead(entitiesPath, null, null, 1, 1, TimeSpan.Zero));
        var roleHead = new RoleHead(new ClassificationHead(rolesPath, null, null, 1, 1, TimeSpan.Zero));
        var heldOutResult = EntityEvaluation.Run(entityHead, roleHead, [.. heldOut.Select(x => (x.Example, x.States, 0))]);
        EntityEvaluation.Result? sampleResult = null;
        if (samples is not null && sampleLabels is not null)
        {
            progress($"evaluating on {samples}");
            var labelled = EntityExample.ReadSamples(samples, sampleLabels);
            // As the pipeline encodes a document: "title. text".
            var documents = labelled.Select(s => new AnnotatorDocument(s.Id, s.Text, s.Title, "{}")).ToList();
            var encoded = Encode(encoder, [.. documents.Select(d => d.TitleAndText)]);
            sampleResult = EntityEvaluation.Run(entityHead, roleHead, [.. labelled.Select((s, i) => (s, encoded[i], documents[i].TextOffset))]);
        }
        entityHead.Model.Dispose();
        roleHead.Model.Dispose();
        var counts = examples.SelectMany(e => e.Mentions).GroupBy(m => m.Label).ToDictionary(g => g.Key, g => g.Count());
        counts[EntityExample.TitleLabel] = examples.Count(e => e.JobTitle is not null);
        return new EntityReport(encoderModel, train.Count, heldOut.Count, counts, examples.SelectMany(e => e.Mentions).GroupBy(m => m.Role).ToDictionary(g => g.Key, g => g.Count()),
            heldOutResult, sampleResult, samples);
    }

    /// <summary>Each word's BIO label from the example's spans (its names and the job title).</summary>
    private static IEnumerable<string> WordLabels(EntityExample example, WordStates states)
    {
        var spans = example.JobTitle is null ? example.Mentions : [.. example.Mentions, example.JobTitle];
        for (var w = 0; w < states.Words.Length; w++)
        {
            var (start, end) = states.Words[w];
            var span = spans.FirstOrDefault(s => s.Start < end && start < s.End);
            yield return span is null ? "O" : (start <= span.Start || (w > 0 && states.Words[w - 1].End <= span.Start) ? "B-" : "I-") + span.Label;
        }
    }

    /// <summary>The role head's training rows: every labelled mention with its role, every amount found as the event's or another.</summary>
    private static IEnumerable<(float[] Features, string Label)> SpanRows(EntityExample example, WordStates states)
    {
        var candidates = Candidates(example.Text, example.Mentions.Select(m => (m.Label, m.Start, m.End)));
        var ruleRoles = RoleHead.RuleRoles(example.Text, example.Event, candidates);
        foreach (var candidate in candidates)
        {
            if (SpanFeatures.WordsIn(states, candidate.Start, candidate.End) is not { } span) continue;
            var sameKind = candidates.Where(c => c.Kind == candidate.Kind).ToList();
            var label = candidate.Kind switch
            {
                SpanKind.Money => example.Amount is { } a && a.Start < candidate.End && candidate.Start < a.End ? SignalRoles.Amount : SignalRoles.OtherAmount,
                SpanKind.JobTitle => example.JobTitle is { } t && t.Start < candidate.End && candidate.Start < t.End ? SignalRoles.Title : SignalRoles.OtherTitle,
                _ => example.Mentions.First(m => m.Start == candidate.Start).Role,
            };
            // A role the event does not allow (a labelling slip) would teach the head nothing it can use.
            if (!SignalRoles.Allowed(candidate.Kind, example.Event).Contains(label)) continue;
            yield return (SpanFeatures.Of(states, span, candidate.Kind, example.Event, (sameKind.IndexOf(candidate), sameKind.Count), ruleRoles.GetValueOrDefault(candidate.Start)), label);
        }
    }

    /// <summary>The role head's spans for a text, with the amounts the money rules find in it, as the pipeline gives them.</summary>
    public static List<RoleCandidate> Candidates(string text, IEnumerable<(string Label, int Start, int End)> entities) =>
        RoleCandidate.Of(text, entities.Select(e => ((string?)e.Label, e.Start, e.End)), Amounts(text).Select(a => (a.Start, a.End)));

    public static IEnumerable<(string Text, int Start, int End, decimal Amount, string Currency)> Amounts(string text)
    {
        var money = new MoneyAnnotator(new MoneyOptions()).AnnotateAsync(new AnnotatorInput(new AnnotatorDocument("training", text, null, "{}"), new Dictionary<string, DependencyResult>()), default).Result;
        return money.Value!["amounts"]!.AsArray().Select(a => ((string)a!["text"]!, (int)a["start"]!, (int)a["end"]!, (decimal)a["amount"]!, (string)a["currency"]!));
    }

    private static WordStates[] Encode(SentenceEncoder encoder, string[] texts) =>
        [.. texts.Chunk(16).SelectMany(chunk => encoder.EncodeWithStates(chunk).Select(e => e.States))];
}
