/**
 * Salesforce limits and defaults, each with the page it comes from. Everything that sizes a call
 * or a wait in the Salesforce connector reads its number here.
 */

/**
 * Records per sObject Collections update call ("up to 200 records").
 * https://developer.salesforce.com/docs/platform/api-rest/guide/resources-composite-sobjects-collections-update.html
 */
export const COLLECTION_WRITE_MAX = 200;

/**
 * Ids per sObject Collections retrieve (POST) call ("up to 2,000 records of the same object type").
 * https://developer.salesforce.com/docs/platform/api-rest/guide/resources-composite-sobjects-collections-retrieve-post.html
 */
export const COLLECTION_RETRIEVE_MAX = 2000;

/**
 * Batch size the connector reports to the pipeline for reads. Reads by id use collection
 * retrieve (up to 2,000 per call) but jobs are kept at 200 records so that one failure, one lock
 * or one pause never holds more than a write batch worth of work.
 */
export const REPORTED_READ_BATCH = 200;

/**
 * Query page size asked through `Sforce-Query-Options: batchSize=` (min 200, max 2,000, not guaranteed).
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_queryoptions.htm
 */
export const QUERY_PAGE_SIZE = 2000;

/**
 * Longest encoded SOQL we put in one `GET /query?q=` URI when it carries an `IN (…)` list of ids (the
 * OpportunityContactRole query of a batch of Contacts). Salesforce caps the URI and headers of one REST call at
 * 16,384 bytes (414 URI Too Long / 431 above it); 12,000 leaves room for the path and the headers. About 450
 * 18-character ids fit, so a read batch of 200 Contacts always takes one query.
 * https://help.salesforce.com/s/articleView?id=000386264&type=1
 */
export const SOQL_IN_LIST_URI_BUDGET = 12_000;

/**
 * Records above which a bulk write goes through Bulk API 2.0 ("Any data operation that includes more than
 * 2,000 records is a good candidate for Bulk API 2.0").
 * https://developer.salesforce.com/docs/platform/salesforce-app-limits-cheatsheet/guide/salesforce-app-limits-platform-bulkapi.html
 */
export const DEFAULT_BULK_THRESHOLD = 2000;

/**
 * Records per Bulk API 2.0 ingest job. One upload may hold up to 150 MB (100 MB before base64); our rows
 * are under 2 KB, so 50,000 rows stays far below while keeping each job's result files small.
 * https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_bulk_v2/bulk_common_limits.htm
 */
export const BULK_JOB_MAX_RECORDS = 50_000;

/** Bulk API 2.0 job polling: first wait, growth factor, cap, and how long to wait in all (ms). */
export const BULK_POLL = { initialMs: 500, factor: 1.5, maxMs: 10_000, timeoutMs: 30 * 60_000 } as const;

/**
 * Metadata API CRUD calls take at most 10 components per call.
 * https://developer.salesforce.com/docs/platform/api-metadata/references/crud-based-calls/meta-createmetadata.html
 */
export const METADATA_BATCH = 10;

/** Share of the daily API allocation kept for people and other integrations (bulk work stops below it). */
export const DEFAULT_DAILY_RESERVE = 0.1;

/**
 * Concurrent Salesforce calls across every worker. Salesforce caps long-running (>= 20 s) requests at 25 per
 * org (5 on Developer Edition) and answers REQUEST_LIMIT_EXCEEDED above it; 10 keeps well under and matches
 * jsforce's own `maxRequest` default.
 * https://developer.salesforce.com/docs/platform/salesforce-app-limits-cheatsheet/guide/salesforce-app-limits-platform-api.html
 */
export const DEFAULT_MAX_CONCURRENCY = 10;

/**
 * How long to pause after REQUEST_LIMIT_EXCEEDED. Salesforce sends no Retry-After; the daily allocation is a
 * rolling 24 h window, the concurrent-request limit frees up within seconds.
 */
export const PAUSE_ON_DAILY_LIMIT_MS = 15 * 60_000;
export const PAUSE_ON_CONCURRENT_LIMIT_MS = 30_000;

/** Rounds of per-record retry for UNABLE_TO_LOCK_ROW (a row lock is held at most 10 s). https://help.salesforce.com/s/articleView?id=000385574 */
export const LOCK_RETRY_ROUNDS = 3;

/** Retry of whole calls (5xx, network, lock on the whole request): attempts and backoff (ms). */
export const CALL_RETRY = { attempts: 4, baseMs: 500, maxMs: 8000 } as const;

/** Long Text Area length for the reasons field (max 131,072). */
export const REASONS_MAX_LENGTH = 32_768;

/**
 * How long an object's describe (its field list) is trusted before reads describe it again: one call per
 * object per 15 minutes, while fields created later (setup, an admin) are picked up without a restart.
 * Describe counts as one API call. https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_describe.htm
 */
export const DESCRIBE_TTL_MS = 15 * 60_000;
