using System.Diagnostics.Metrics;

namespace Herald.Annotators;

/// <summary>
/// An annotator that records metrics (batch sizes, remote calls): the host hands it its <c>Herald</c> meter, from the
/// host's <see cref="IMeterFactory"/>, when it activates it. Without a host (tools, tests) nothing is recorded.
/// </summary>
public interface IMeasuredAnnotator
{
    void MeasureWith(Meter meter);
}
