-- wrk script for Benchmarks/server/run.sh: POST /get-online-features at a paced rate.
--
-- Environment: USERS (user ids are drawn uniformly from 1..USERS), BATCH (entities per
-- request), DELAY_MS (each connection waits this long before each request: with C connections
-- the offered rate is about C * 1000 / DELAY_MS requests/s while responses take far less than
-- DELAY_MS), TOKEN (optional bearer token).
local users = tonumber(os.getenv("USERS") or "5000")
local batch = tonumber(os.getenv("BATCH") or "1")
local delay_ms = tonumber(os.getenv("DELAY_MS") or "10")
local token = os.getenv("TOKEN")

local headers = { ["Content-Type"] = "application/json" }
if token and token ~= "" then headers["Authorization"] = "Bearer " .. token end

local counter = 0
function setup(thread)
    counter = counter + 1
    thread:set("id", counter)
end

function init(args)
    math.randomseed(os.time() + (id or 0) * 7919)
end

function request()
    local ids = {}
    for i = 1, batch do ids[i] = tostring(math.random(1, users)) end
    local body = '{"features": ["user_stats:visits_7d", "user_stats:spend_30d"], "entities": {"user_id": ['
        .. table.concat(ids, ",") .. ']}, "full_feature_names": true}'
    return wrk.format("POST", "/get-online-features", headers, body)
end

function delay()
    return delay_ms
end

local non2xx = 0
function response(status, headers, body)
    if status ~= 200 then non2xx = non2xx + 1 end
end

function done(summary, latency, requests)
    local e = summary.errors
    io.write(string.format("RESULT requests=%d seconds=%.3f p50_us=%d p99_us=%d p999_us=%d max_us=%d errors=%d\n",
        summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(99),
        latency:percentile(99.9), latency.max, e.connect + e.read + e.write + e.status + e.timeout))
end
