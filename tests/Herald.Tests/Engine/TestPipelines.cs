namespace Herald.Tests.Engine;

/// <summary>The pipelines the engine tests run, by tag.</summary>
public static class TestPipelines
{
    public static readonly (string Tag, string Yaml)[] All =
    [
        ("diamond", """
            pipeline: diamond
            annotators:
              - { name: a, version: 1.0.0, kind: probe, options: { delayMs: 20 } }
              - { name: b, version: 1.0.0, kind: probe, requires: [a@^1], options: { delayMs: 30 } }
              - { name: c, version: 1.0.0, kind: probe, requires: [a@^1], options: { delayMs: 10 } }
              - { name: d, version: 1.0.0, kind: probe, requires: [b@^1, c@^1] }
              - { name: e, version: 1.0.0, kind: probe, requires: [d@^1] }
            """),
        ("concurrent", """
            pipeline: concurrent
            annotators:
              - { name: left, version: 1.0.0, kind: probe, timeout: 10s, retries: 0, options: { barrier: meet, delayMs: 100 } }
              - { name: right, version: 1.0.0, kind: probe, timeout: 10s, retries: 0, options: { barrier: meet, delayMs: 100 } }
            """),
        ("gated", """
            pipeline: gated
            annotators:
              - { name: gate, version: 1.0.0, kind: probe, options: { value: { label: irrelevant, score: 0.9 } } }
              - name: filtered
                version: 1.0.0
                kind: probe
                requires: [gate@^1]
                when: gate.label == "relevant" && gate.score >= 0.5
              - { name: below, version: 1.0.0, kind: probe, requires: [filtered@^1] }
              - { name: sibling, version: 1.0.0, kind: probe, requires: [gate@^1] }
            """),
        ("flaky", """
            pipeline: flaky
            annotators:
              - { name: recovers, version: 1.0.0, kind: probe, retries: 2, options: { failTimes: 2 } }
              - { name: gives-up, version: 1.0.0, kind: probe, retries: 1, options: { failTimes: 5 } }
              - { name: after-recovers, version: 1.0.0, kind: probe, requires: [recovers@^1] }
              - { name: after-gives-up, version: 1.0.0, kind: probe, requires: [gives-up@^1] }
            """),
        ("soft", """
            pipeline: soft
            annotators:
              - { name: down, version: 1.0.0, kind: probe, retries: 0, options: { failTimes: 5 } }
              - { name: up, version: 1.0.0, kind: probe }
              - { name: tolerant, version: 1.0.0, kind: probe, requires: ["down@^1?", up@^1], when: "!down" }
              - { name: strict, version: 1.0.0, kind: probe, requires: [down@^1, up@^1] }
            """),
        ("embedded", """
            pipeline: embedded
            annotators:
              - { name: embedding, version: 0.9.0, kind: onnx-embedding, options: { batchSize: 8, batchWaitMs: 5 } }
              - { name: after, version: 1.0.0, kind: probe, requires: [embedding@^0.9], when: embedding.dimensions == 384 }
            """),
        ("slow", """
            pipeline: slow
            annotators:
              - { name: hangs, version: 1.0.0, kind: probe, timeout: 200ms, retries: 0, options: { hangMs: 30000 } }
              - { name: after-hangs, version: 1.0.0, kind: probe, requires: [hangs] }
            """),
    ];
}
