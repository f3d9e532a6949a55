namespace Herald.Warehouse.Storage;

/// <summary>
/// The warehouse's tables and views, a contract (README "Data scientists"): these column names are what queries and
/// tools outside the repository use. <c>at</c> is a keyword in DuckDB's SQL: quote it (<c>"at"</c>).
/// </summary>
internal static class WarehouseSchema
{
    public const string DocumentColumns = "id, pipeline, pipeline_version, text, title, source, url, published_at, metadata, status, completed_at";
    public const string AnnotationColumns = "document_id, pipeline, pipeline_version, name, version, status, value, error, duration_ms, attempts, \"at\"";

    private const string DocumentTypes = """
        id VARCHAR NOT NULL, pipeline VARCHAR NOT NULL, pipeline_version VARCHAR NOT NULL,
        text VARCHAR, title VARCHAR, source VARCHAR, url VARCHAR, published_at TIMESTAMPTZ, metadata JSON,
        status VARCHAR NOT NULL, completed_at TIMESTAMPTZ
        """;

    private const string AnnotationTypes = """
        document_id VARCHAR NOT NULL, pipeline VARCHAR NOT NULL, pipeline_version VARCHAR NOT NULL, name VARCHAR NOT NULL,
        version VARCHAR NOT NULL, status VARCHAR NOT NULL, value JSON, error VARCHAR, duration_ms DOUBLE, attempts INTEGER,
        "at" TIMESTAMPTZ
        """;

    public const string Tables = $"""
        CREATE TABLE IF NOT EXISTS documents ({DocumentTypes}, PRIMARY KEY (id, pipeline, pipeline_version));
        CREATE TABLE IF NOT EXISTS annotations ({AnnotationTypes}, PRIMARY KEY (document_id, pipeline, pipeline_version, name));
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
    /// Staging tables with the tables' columns, unkeyed: a batch that repeats a key the tables have is appended here and merged
    /// (below), and Parquet files are copied from here.
    /// </summary>
    public const string Staging = $"""
        CREATE TEMP TABLE IF NOT EXISTS staging_documents ({DocumentTypes});
        CREATE TEMP TABLE IF NOT EXISTS staging_annotations ({AnnotationTypes});
        """;

    // A document's complete record is final: one read again changes nothing. A run published twice (a silo crashed while
    // publishing) has its annotations replaced by the later record's. DuckDB's ON CONFLICT costs more the larger the table.
    public const string MergeDocuments = $"""
        INSERT INTO documents ({DocumentColumns}) SELECT {DocumentColumns} FROM staging_documents
        ON CONFLICT DO NOTHING
        """;

    public const string MergeAnnotations = $"""
        INSERT INTO annotations ({AnnotationColumns}) SELECT {AnnotationColumns} FROM staging_annotations
        ON CONFLICT DO UPDATE SET version = excluded.version, status = excluded.status, value = excluded.value, error = excluded.error,
            duration_ms = excluded.duration_ms, attempts = excluded.attempts, "at" = excluded."at"
        """;
}
