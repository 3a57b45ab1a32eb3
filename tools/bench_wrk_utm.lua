-- wrk script of tools/bench.py: bench_wrk.lua's count of answers that are not 2xx, with a
-- random utm_source on every request (a tracking parameter the page cache must ignore).
-- The requests are made before the clock starts, so that wrk spends no more time on
-- each than on a fixed one; each thread's are distinct and never repeat within a run.
local threads = {}
local requests = {}
local sent = 0
local POOL = 50000

function setup(thread)
    thread:set("id", #threads + 1)
    table.insert(threads, thread)
end

function init(args)
    non2xx = 0
    math.randomseed(os.time() * 100 + id)
    local separator = string.find(wrk.path, "?", 1, true) and "&" or "?"
    local salt = math.random(1, 1000000000)
    for number = 1, POOL do
        local value = string.format("%d-%d-%d", salt, id, number)
        requests[number] = wrk.format(nil, wrk.path .. separator .. "utm_source=" .. value)
    end
end

function request()
    sent = sent % POOL + 1
    return requests[sent]
end

function response(status, headers, body)
    if status < 200 or status > 299 then
        non2xx = non2xx + 1
    end
end

function done(summary, latency, requests)
    local total = 0
    for _, thread in ipairs(threads) do
        total = total + thread:get("non2xx")
    end
    io.write(string.format("non2xx=%d\n", total))
end
