-- wrk script of tools/bench.py: counts every answer that is not 2xx (wrk's own count
-- leaves out 3xx, so a redirect would pass as a success). bench_wrk_utm.lua adds a
-- random utm_source to each request.
local threads = {}

function setup(thread)
    table.insert(threads, thread)
end

function init(args)
    non2xx = 0
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
