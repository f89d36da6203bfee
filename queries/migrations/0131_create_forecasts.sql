-- Uploaded forecasts (issue 24, PUT /api/sites/{site}/forecast): calls and AHT per interval
-- start and queue. A later upload of the same interval and queue replaces it (newest
-- uploaded_at wins when read); each upload is kept with who sent it.
CREATE TABLE IF NOT EXISTS {db}.forecasts
(
    site LowCardinality(String),
    interval_start DateTime64(3, 'UTC'),
    queue String,
    calls Float64,
    aht_s Float64,
    uploaded_at DateTime64(3, 'UTC'),
    uploaded_by String
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(interval_start)
ORDER BY (site, interval_start, queue, uploaded_at);
