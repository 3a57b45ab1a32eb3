-- wrk script of tools/bench.py: bench_wrk.lua's count of answers that are not 2xx, with a
-- random utm_source on every request (a tracking parameter the page cache must ignore).
local threads = {}
local sent = 0

function setup(thread)
    thread:set("id", #threads + 1)
    table.insert(threads, thread)
end

function init(args)
    non2xx = 0
    math.randomseed(os.time() * 100 + id)
end

function request()
    sent = sent + 1
    local separator = string.find(wrk.path, "?", 1, true) and "&" or "?"
    local value = string.format("%d-%d", math.random(1, 1000000000), sent)
    return wrk.format(nil, wrk.path .. separator .. "utm_source=" .. value)
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
