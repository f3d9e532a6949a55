using Herald.Grains.Annotators;
using Herald.Grains.Control;
using Herald.Grains.Monitoring;

namespace Herald.Grains.Documents;

/// <summary>The silo's services every document run uses: annotator grains, the clock, the monitor and the pause gate.</summary>
public sealed record DocumentRunServices(AnnotatorGrainReferences Annotators, TimeProvider Time, PipelineMonitor Monitor, AnnotatorGate Gate);
