using Herald.Annotators.Rules;
using Herald.Annotators.Rules.Entities;

namespace Herald.Annotators;

/// <summary>The kinds every Herald silo (and the CLI's validator) knows without configuration.</summary>
public static class BuiltInKinds
{
    public static IReadOnlyList<AnnotatorKind> All { get; } =
    [
        MoneyAnnotator.Kind,
        DatesAnnotator.Kind,
        KeywordClassifier.Kind,
        SignalAssembler.Kind,
        EntityRecognizer.Kind,
    ];
}
