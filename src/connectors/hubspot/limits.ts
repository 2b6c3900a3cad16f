/**
 * HubSpot's limits, each with the page it comes from. Change them here only.
 */

/**
 * Burst window for the per-app limit: `HUBSPOT_RATE_LIMIT_PER_10S` requests per rolling 10 seconds
 * (100 Free/Starter private apps, 190 Professional/Enterprise, 250 with the API limit increase; 110 per
 * installing account for OAuth apps).
 * https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines
 */
export const BURST_WINDOW_MS = 10_000;

/**
 * Added to the burst window we enforce: a request is counted when the limiter grants it but reaches
 * HubSpot a little later (event-loop lag, network), so two full windows granted exactly 10 s apart can
 * land closer together at HubSpot. Measured on the sandbox with 4 processes on a busy 2-core machine:
 * without a margin, up to 114 requests fell in one 10 s window for a limit of 100. Re-measured at
 * 1000/500/250/0 ms (3 rounds each, load 8–15; docs/hubspot.md "Figures"): 250 ms overshot in every
 * round (106–116, 6–16 429s) and no margin had zero 429s in every round, so it stays 1 s.
 */
export const BURST_WINDOW_MARGIN_MS = 1_000;

/**
 * CRM search: "rate limited to five requests per second per account", 200 results per page, 10,000
 * results per query (paging further answers 400).
 * https://developers.hubspot.com/docs/api-reference/latest/crm/search-the-crm
 */
export const SEARCH_PER_SECOND = 5;
export const SEARCH_WINDOW_MS = 1_000;
/** Same reasoning as `BURST_WINDOW_MARGIN_MS`, for the one-second search window. */
export const SEARCH_WINDOW_MARGIN_MS = 200;
export const SEARCH_PAGE_SIZE = 200;
export const SEARCH_MAX_RESULTS = 10_000;

/** Batch read/update: "limited to 100 records per request". Usage guidelines page above. */
export const BATCH_SIZE = 100;

/**
 * Associations v4 batch read: the changelog says "may not exceed 1000 IDs per request body"
 * (https://developers.hubspot.com/changelog/bug-fix-batch-read-limit-for-hubspot-associations-api), but a
 * copy of the same changelog says 100. 100 works under both, and a page of contacts is 100 (list, batch
 * read) or 200 (search), so it costs one or two calls per page.
 */
export const ASSOCIATION_BATCH_READ_MAX = 100;

/** Object listing page size (`limit` on GET /crm/objects/…/companies). */
export const LIST_PAGE_SIZE = 100;

/**
 * 423 Locked: "locks last 2 s, so delay at least 2 s"; 477 Migration in Progress carries Retry-After
 * in seconds. https://developers.hubspot.com/docs/api-reference/error-handling
 */
export const LOCKED_MIN_DELAY_MS = 2_000;

/**
 * A TEN_SECONDLY_ROLLING 429 without Retry-After: every process pauses this long. Requests leave the
 * rolling window continuously, so a fraction of the window is enough.
 */
export const ROLLING_429_PAUSE_MS = 2_000;

/** A SECONDLY 429 (search, or the legacy per-second limit) pauses for one second. */
export const SECONDLY_429_PAUSE_MS = 1_000;

/** Webhook requests larger than this are refused with 413 (HubSpot batches are under 100 events). */
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

/**
 * v3 signatures: "Reject the request if the timestamp is older than 5 minutes." We also refuse
 * timestamps more than 5 minutes ahead (clock skew beyond that is not HubSpot).
 * https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation
 */
export const SIGNATURE_MAX_SKEW_MS = 5 * 60_000;

/** Multi-line text properties hold at most 65,536 characters (properties guide). */
export const STRING_MAX_LENGTH = 65_536;

/**
 * How long property option labels (for the reasons text) are trusted before the properties are listed
 * again: one call per object type and process per 15 minutes, so a renamed option shows up without a
 * restart. https://developers.hubspot.com/docs/api-reference/crm-properties-v3/guide
 */
export const OPTION_LABELS_TTL_MS = 15 * 60_000;
