-- wrk script of tools/bench.py: counts every answer that is not 2xx (wrk's own count
-- leaves out 3xx, so a redirect would pass as a success).
--
-- With BENCH_WRK_UTM=1 in the environment each request carries a random utm_source (a
-- tracking parameter the page cache must ignore). Those requests are made before the
-- clock starts, so that wrk spends no more time on each than on a fixed one; each
-- thread's are distinct and never repeat within a run. Without it wrk sends its one
-- fixed request (a script that defines request() makes wrk call it for every request).
local threads = {}
local utm = os.getenv("BENCH_WRK_UTM") == "1"
local requests = {}
local sent = 0
local POOL = 50000

function setup(thread)
    thread:set("id", #threads + 1)
    table.insert(threads, thread)
end

function init(args)
    non2xx = 0
    if not utm then
        return
    end
    math.randomseed(os.time() * 100 + id)
    local separator = string.find(wrk.path, "?", 1, true) and "&" or "?"
    local salt = math.random(1, 1000000000)
    for number = 1, POOL do
        local value = string.format("%d-%d-%d", salt, id, number)
        requests[number] = wrk.format(nil, wrk.path .. separator .. "utm_source=" .. value)
    end
end

if utm then
    function request()
        sent = sent % POOL + 1
        return requests[sent]
    end
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
