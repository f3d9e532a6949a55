using Herald.Grains.Annotators;
using Herald.Grains.Control;
using Herald.Grains.Hosting;
using Herald.Grains.Monitoring;

namespace Herald.Grains.Documents;

/// <summary>The silo's services every document run uses: annotator grains, the clock and its deadlines, the monitor and the pause gate.</summary>
internal sealed record DocumentRunServices(GrainReferences<IAnnotatorGrain> Annotators, TimeProvider Time, SharedDeadlines Deadlines, PipelineMonitor Monitor, AnnotatorGate Gate);
