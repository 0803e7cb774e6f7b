-- wrk script for Benchmarks/server/recommend.sh: GET /recommend at a paced rate.
--
-- Environment: USERS (user ids are drawn uniformly from 1..USERS; ids above the marketplace's
-- users get the popularity fallback), K (items per answer), DELAY_MS (each connection waits
-- this long before each request: with C connections the offered rate is about
-- C * 1000 / DELAY_MS requests/s while answers take far less than DELAY_MS), TOKEN (optional).
local users = tonumber(os.getenv("USERS") or "50000")
local k = tonumber(os.getenv("K") or "10")
local delay_ms = tonumber(os.getenv("DELAY_MS") or "10")
local token = os.getenv("TOKEN")

local headers = {}
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
    return wrk.format("GET", "/recommend?user_id=" .. math.random(1, users) .. "&k=" .. k, headers)
end

function delay()
    return delay_ms
end

function done(summary, latency, requests)
    local e = summary.errors
    io.write(string.format("RESULT requests=%d seconds=%.3f p50_us=%d p99_us=%d p999_us=%d max_us=%d errors=%d\n",
        summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(99),
        latency:percentile(99.9), latency.max, e.connect + e.read + e.write + e.status + e.timeout))
end
