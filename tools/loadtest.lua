-- wrk script of `make loadtest` (tools/loadtest.py): every connection walks round the
-- public pages listed, one path a line, in the file named after "--"; each thread starts
-- at a different place. At the end, prints "status <code> <count>" lines summed over all
-- threads, which loadtest.py reads.
--
--     wrk -t1 -c200 -d60s -s tools/loadtest.lua http://127.0.0.1:9150 -- paths.txt

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    if #line > 0 then
      paths[#paths + 1] = line
    end
  end
  index = (id * 7919) % #paths
  statuses = {}
end

function request()
  index = index % #paths + 1
  return wrk.format("GET", paths[index])
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + count
    end
  end
  for status, count in pairs(total) do
    io.write(string.format("status %d %d\n", status, count))
  end
end
