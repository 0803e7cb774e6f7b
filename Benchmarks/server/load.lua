-- wrk script for Benchmarks/server/run.sh: POST /get-online-features at a paced rate.
--
-- Environment: USERS (user ids are drawn uniformly from 1..USERS), BATCH (entities per
-- request), DELAY_MS (each connection waits on average this long before each request: with C
-- connections the offered rate is about C * 1000 / DELAY_MS requests/s while responses take far
-- less than DELAY_MS), PACING (how each wait is drawn: "jitter", the default, uniform in
-- 0..2*DELAY_MS whole milliseconds, so the connections' requests spread over time; "fixed",
-- exactly DELAY_MS, which keeps connections that started together in step: they send in bursts
-- of C requests every DELAY_MS), TOKEN (optional bearer token).
--
-- The generator shares the machine with the server, so it does as little as it can per request:
-- requests are formatted once, in init (for one entity per request, one per user; for batches,
-- POOL random batches), and there is no per-response Lua callback: wrk itself counts answers
-- with a status of 400 or more (summary.errors.status), reported as errors.
local users = tonumber(os.getenv("USERS") or "5000")
local batch = tonumber(os.getenv("BATCH") or "1")
local delay_ms = tonumber(os.getenv("DELAY_MS") or "10")
local pacing = os.getenv("PACING") or "jitter"
local poolsize = tonumber(os.getenv("POOL") or "8192")
local token = os.getenv("TOKEN")

if pacing ~= "jitter" and pacing ~= "fixed" then
    error("PACING must be jitter or fixed, not " .. pacing)
end

local headers = { ["Content-Type"] = "application/json" }
if token and token ~= "" then headers["Authorization"] = "Bearer " .. token end

local counter = 0
function setup(thread)
    counter = counter + 1
    thread:set("id", counter)
end

local pool = {}

local function format(ids)
    local body = '{"features": ["user_stats:visits_7d", "user_stats:spend_30d"], "entities": {"user_id": ['
        .. table.concat(ids, ",") .. ']}, "full_feature_names": true}'
    return wrk.format("POST", "/get-online-features", headers, body)
end

function init(args)
    math.randomseed(os.time() + (id or 0) * 7919)
    if batch == 1 then
        for user = 1, users do pool[user] = format({ tostring(user) }) end
    else
        for p = 1, poolsize do
            local ids = {}
            for i = 1, batch do ids[i] = tostring(math.random(1, users)) end
            pool[p] = format(ids)
        end
    end
end

function request()
    return pool[math.random(1, #pool)]
end

function delay()
    if pacing == "fixed" then return delay_ms end
    return math.random(0, 2 * delay_ms)
end

function done(summary, latency, requests)
    local e = summary.errors
    io.write(string.format("RESULT requests=%d seconds=%.3f p50_us=%d p99_us=%d p999_us=%d max_us=%d errors=%d\n",
        summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(99),
        latency:percentile(99.9), latency.max, e.connect + e.read + e.write + e.status + e.timeout))
end
