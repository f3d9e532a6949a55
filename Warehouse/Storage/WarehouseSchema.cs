namespace Herald.Warehouse.Storage;

/// <summary>
/// The warehouse's tables and views, a contract (README "Data scientists"): these column names are what queries and
/// tools outside the repository use. <c>at</c> is a keyword in DuckDB's SQL: quote it (<c>"at"</c>).
/// </summary>
internal static class WarehouseSchema
{
    public const string DocumentColumns = "id, pipeline, pipeline_version, text, title, source, url, published_at, metadata, status, completed_at";
    public const string AnnotationColumns = "document_id, pipeline, pipeline_version, name, version, status, value, error, duration_ms, attempts, \"at\"";

    public const string Tables = """
        CREATE TABLE IF NOT EXISTS documents (
            id VARCHAR NOT NULL, pipeline VARCHAR NOT NULL, pipeline_version VARCHAR NOT NULL,
            text VARCHAR, title VARCHAR, source VARCHAR, url VARCHAR, published_at TIMESTAMPTZ, metadata JSON,
            status VARCHAR NOT NULL, completed_at TIMESTAMPTZ,
            PRIMARY KEY (id, pipeline, pipeline_version));
        CREATE TABLE IF NOT EXISTS annotations (
            document_id VARCHAR NOT NULL, pipeline VARCHAR NOT NULL, pipeline_version VARCHAR NOT NULL, name VARCHAR NOT NULL,
            version VARCHAR NOT NULL, status VARCHAR NOT NULL, value JSON, error VARCHAR, duration_ms DOUBLE, attempts INTEGER,
            "at" TIMESTAMPTZ,
            PRIMARY KEY (document_id, pipeline, pipeline_version, name));
        """;

    /// <summary>
    /// Flat views of the built-in kinds' values, recognised by shape (an annotator may have any name): <c>entities</c>, a row per
    /// recognised name of any annotation whose value holds an <c>entities</c> list; <c>signals</c>, a row per signal annotation.
    /// </summary>
    public const string Views = """
        CREATE OR REPLACE VIEW entities AS
        SELECT a.document_id, a.pipeline, a.pipeline_version, a.name AS annotator, a.version,
               e.entity->>'text' AS text, e.entity->>'label' AS label,
               TRY_CAST(e.entity->>'start' AS INTEGER) AS start_char, TRY_CAST(e.entity->>'end' AS INTEGER) AS end_char,
               TRY_CAST(e.entity->>'score' AS DOUBLE) AS score
        FROM annotations a,
             unnest(CASE WHEN json_type(a.value, '$.entities') = 'ARRAY' THEN CAST(json_extract(a.value, '$.entities') AS JSON[]) ELSE [] END) AS e(entity)
        WHERE a.status = 'done';

        CREATE OR REPLACE VIEW signals AS
        SELECT a.document_id, a.pipeline, a.pipeline_version, a.name AS annotator, a.version,
               a.value->>'type' AS type, TRY_CAST(a.value->>'confidence' AS DOUBLE) AS confidence,
               TRY_CAST(a.value->'amount'->>'amount' AS DOUBLE) AS amount, a.value->'amount'->>'currency' AS currency,
               a.value->'amount'->>'text' AS amount_text, TRY_CAST(a.value->'date'->>'date' AS DATE) AS date,
               a.value->'companies' AS companies, a.value->'people' AS people, d.published_at, d.title
        FROM annotations a
        LEFT JOIN documents d ON d.id = a.document_id AND d.pipeline = a.pipeline AND d.pipeline_version = a.pipeline_version
        WHERE a.status = 'done' AND json_type(a.value, '$.companies') = 'ARRAY' AND json_type(a.value, '$.type') IS NOT NULL;
        """;

    /// <summary>
    /// Staging tables a batch is appended to: the keys, and the document's or annotation's JSON as its complete record has it.
    /// The inserts below read the columns out of the JSON, each parsed once, in DuckDB.
    /// </summary>
    public const string Staging = """
        CREATE TEMP TABLE IF NOT EXISTS staging_documents (
            id VARCHAR, pipeline VARCHAR, pipeline_version VARCHAR, json VARCHAR, completed_at VARCHAR);
        CREATE TEMP TABLE IF NOT EXISTS staging_annotations (
            document_id VARCHAR, pipeline VARCHAR, pipeline_version VARCHAR, name VARCHAR, json VARCHAR);
        """;

    // The wire format's fields (README), as json_transform reads them: a field of another type, or absent, reads as NULL.
    private const string DocumentFields = """{"text": "VARCHAR", "title": "VARCHAR", "source": "VARCHAR", "url": "VARCHAR", "publishedAt": "VARCHAR", "metadata": "JSON"}""";
    private const string AnnotationFields = """{"version": "VARCHAR", "status": "VARCHAR", "value": "JSON", "error": "VARCHAR", "reason": "VARCHAR", "durationMs": "DOUBLE", "attempts": "INTEGER", "at": "VARCHAR"}""";

    /// <summary>A batch's rows (one per key: <see cref="Rows.RowBatch.Compact"/>), typed as the tables are.</summary>
    public static readonly string LatestDocuments = $"""
        SELECT id, pipeline, pipeline_version, d.text, d.title, d.source, d.url, TRY_CAST(d.publishedAt AS TIMESTAMPTZ) AS published_at,
               {JsonOrNull("d.metadata")} AS metadata, 'complete' AS status, TRY_CAST(completed_at AS TIMESTAMPTZ) AS completed_at
        FROM (SELECT id, pipeline, pipeline_version, completed_at, json_transform(json, '{DocumentFields}') AS d FROM staging_documents)
        """;

    public static readonly string LatestAnnotations = $"""
        SELECT document_id, pipeline, pipeline_version, name, coalesce(a.version, '') AS version, coalesce(a.status, '') AS status,
               {JsonOrNull("a.value")} AS value, coalesce(a.error, a.reason) AS error, a.durationMs AS duration_ms, a.attempts AS attempts,
               TRY_CAST(a."at" AS TIMESTAMPTZ) AS "at"
        FROM (SELECT document_id, pipeline, pipeline_version, name, json_transform(json, '{AnnotationFields}') AS a FROM staging_annotations)
        """;

    // JSON null is no value: the column is SQL NULL, as for an absent field.
    private static string JsonOrNull(string field) => $"CASE WHEN json_type({field}) = 'NULL' THEN NULL ELSE {field} END";

    /// <summary>
    /// A batch of rows whose keys are new, as nearly all are: a plain insert, whose cost does not grow with the tables. A key that is
    /// there already fails it (a constraint error) and the batch goes in by the merges below instead.
    /// </summary>
    public static readonly string InsertDocuments = $"INSERT INTO documents ({DocumentColumns}) {LatestDocuments}";

    public static readonly string InsertAnnotations = $"INSERT INTO annotations ({AnnotationColumns}) {LatestAnnotations}";

    // A document's complete record is final: one read again changes nothing. A run published twice (a silo crashed while
    // publishing) has its annotations replaced by the later record's. DuckDB's ON CONFLICT costs more the larger the table.
    public static readonly string MergeDocuments = $"""
        {InsertDocuments}
        ON CONFLICT DO NOTHING
        """;

    public static readonly string MergeAnnotations = $"""
        {InsertAnnotations}
        ON CONFLICT DO UPDATE SET version = excluded.version, status = excluded.status, value = excluded.value, error = excluded.error,
            duration_ms = excluded.duration_ms, attempts = excluded.attempts, "at" = excluded."at"
        """;
}
