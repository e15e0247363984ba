-- wrk script of scripts/bench.sh's write workload: create -> get by id -> delete, over and over.
--
--   wrk -t2 -c16 -s write-cycle.lua -H 'Authorization: Bearer KEY' http://127.0.0.1:PORT/api/v1/workspaces
--   WRITE_CYCLE_VENDOR=portkey wrk -t2 -c16 -s write-cycle.lua -H 'x-portkey-api-key: KEY' \
--       http://127.0.0.1:PORT/v1/admin/workspaces
--
-- A cycle is POST {path} (OpenRouter: a new slug; Portkey: a new name, from which the server derives the
-- id; unique per thread and cycle, WRITE_CYCLE_TAG in the environment adds a tag to it), then
-- GET {path}/{id} with the id the create answered, then DELETE {path}/{id}; a step is sent only once the
-- previous one was answered and verified. wrk does not tell the script which connection a response came
-- on, so each thread keeps its cycles in a queue: a connection that is free sends the next step of a cycle
-- whose last step was answered, else starts a new cycle. Each connection has one request in flight, so a
-- thread never has more cycles going than it has connections, and each cycle's steps are strictly in order
-- (not necessarily on one connection: the mock's store is shared by all of them, and a write answered on
-- one connection is seen on every other).
--
-- Every response is checked. OpenRouter (WRITE_CYCLE_VENDOR unset or `openrouter`): a create must be 201
-- {"data":{"id":…,"name":…,"slug":<the slug sent>…}}, a get 200 with the same id and slug, a delete 200
-- {"deleted":true}. Portkey (`portkey`): a create must be 200 {"id":…,"slug":<the id>,"name":<the name
-- sent>,…} without `users` (the whole new workspace), a get 200 with the same id, slug and name and
-- `"users":[…]` (the workspace plus its members), a delete 200 and exactly {}. Anything else counts in
-- `bad` (the first one is printed on a WRK_ERROR line); a run with bad > 0 is a failed run, not a figure.
--
-- Prints one WRK_RESULT line like report.lua's (latencies of all requests, from wrk, in microseconds),
-- plus cycles (deletes answered), creates, gets, bad, and create/get latency percentiles measured here
-- (clock_gettime through LuaJIT's ffi, from request() to response(), in microseconds). A delete's
-- response does not say which workspace it deleted, so deletes have no latency of their own.

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } gm_bench_timespec;
  int clock_gettime(int clock, gm_bench_timespec *spec);
]]
local spec = ffi.new("gm_bench_timespec")
local function now_us()
  ffi.C.clock_gettime(1, spec) -- CLOCK_MONOTONIC
  return tonumber(spec.tv_sec) * 1000000 + tonumber(spec.tv_nsec) / 1000
end

-- setup/done run in a Lua state of their own; the threads' counters are fetched with thread:get.
local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
  thread:set("tid", #threads)
end

function init(args)
  tag = os.getenv("WRITE_CYCLE_TAG") or "x"
  vendor = os.getenv("WRITE_CYCLE_VENDOR") or "openrouter"
  if vendor ~= "openrouter" and vendor ~= "portkey" then
    error("WRITE_CYCLE_VENDOR must be openrouter or portkey, not " .. vendor)
  end
  base = wrk.path
  post_headers, plain_headers = {}, {}
  for name, value in pairs(wrk.headers) do
    post_headers[name] = value
    plain_headers[name] = value
  end
  post_headers["Content-Type"] = "application/json"
  ready, head, tail = {}, 1, 0 -- cycles whose last step was answered: {op, id, slug}
  creating = {} -- OpenRouter: slug, Portkey: name -> time the create was sent
  getting = {} -- id -> {slug (OpenRouter) or name (Portkey), time the get was sent}
  deleting = 0 -- deletes in flight
  serial = 0
  cycles, creates, gets, bad = 0, 0, 0, 0
  create_us, get_us = {}, {}
  first_error = ""
end

local function push(item)
  tail = tail + 1
  ready[tail] = item
end

function request()
  if head <= tail then
    local item = ready[head]
    ready[head] = nil
    head = head + 1
    if item.op == "get" then
      getting[item.id] = { item.key, now_us() }
      return wrk.format("GET", base .. "/" .. item.id, plain_headers)
    end
    deleting = deleting + 1
    return wrk.format("DELETE", base .. "/" .. item.id, plain_headers)
  end
  serial = serial + 1
  local slug = string.format("bench-%s-t%d-%d", tag, tid, serial)
  if vendor == "portkey" then
    local name = string.format("Bench %s t%d %d", tag, tid, serial)
    creating[name] = now_us()
    return wrk.format("POST", base, post_headers, '{"name":"' .. name .. '"}')
  end
  creating[slug] = now_us()
  return wrk.format("POST", base, post_headers, '{"name":"Bench ' .. slug .. '","slug":"' .. slug .. '"}')
end

local RECORD = '^{"data":{"id":"([^"]+)","name":"[^"]*","slug":"([^"]+)"'
local PORTKEY_RECORD = '^{"id":"([^"]+)","slug":"([^"]+)","name":"([^"]*)"'

local function fail(status, body)
  bad = bad + 1
  if first_error == "" then first_error = status .. " " .. string.sub(body or "", 1, 200) end
end

local function created(id, key, t)
  local sent = creating[key]
  creating[key] = nil
  creates = creates + 1
  create_us[creates] = t - sent
  push({ op = "get", id = id, key = key })
end

local function got(id, t)
  local pending = getting[id]
  getting[id] = nil
  gets = gets + 1
  get_us[gets] = t - pending[2]
  push({ op = "delete", id = id })
end

local function deleted()
  deleting = deleting - 1
  cycles = cycles + 1
end

local function openrouter_response(status, body, t)
  if status == 201 then
    local id, slug = string.match(body, RECORD)
    if slug and creating[slug] then return created(id, slug, t) end
  elseif status == 200 then
    if body == '{"deleted":true}' then
      if deleting > 0 then return deleted() end
    else
      local id, slug = string.match(body, RECORD)
      local pending = id and getting[id]
      if pending and pending[1] == slug then return got(id, t) end
    end
  end
  fail(status, body)
end

-- Portkey answers 200 to all three steps: a create is told from a get by its name (still being created)
-- and by having no `users`; a get must name the id and name of a cycle waiting for it and list `users`.
local function portkey_response(status, body, t)
  if status == 200 then
    if body == "{}" then
      if deleting > 0 then return deleted() end
    else
      local id, slug, name = string.match(body, PORTKEY_RECORD)
      local users = string.find(body, ',"users":[', 1, true) ~= nil
      if id and id == slug and string.sub(id, 1, 3) == "ws-" then
        if creating[name] and not getting[id] and not users then return created(id, name, t) end
        local pending = getting[id]
        if pending and pending[1] == name and users then return got(id, t) end
      end
    end
  end
  fail(status, body)
end

function response(status, headers, body)
  local t = now_us()
  if vendor == "portkey" then
    portkey_response(status, body, t)
  else
    openrouter_response(status, body, t)
  end
end

local function percentile(sorted, p)
  if #sorted == 0 then return 0 end
  local rank = math.ceil(p / 100 * #sorted)
  return sorted[math.max(rank, 1)]
end

function done(summary, latency, requests)
  local total = { cycles = 0, creates = 0, gets = 0, bad = 0 }
  local create_all, get_all = {}, {}
  local err = ""
  for _, thread in ipairs(threads) do
    for name in pairs(total) do total[name] = total[name] + (thread:get(name) or 0) end
    for _, v in ipairs(thread:get("create_us") or {}) do create_all[#create_all + 1] = v end
    for _, v in ipairs(thread:get("get_us") or {}) do get_all[#get_all + 1] = v end
    local e = thread:get("first_error") or ""
    if err == "" then err = e end
  end
  table.sort(create_all)
  table.sort(get_all)
  local e = summary.errors
  io.write(string.format(
    "WRK_RESULT requests=%d duration_us=%d bytes=%d connect=%d read=%d write=%d status=%d timeout=%d " ..
    "p50_us=%d p90_us=%d p99_us=%d max_us=%d mean_us=%.1f cycles=%d creates=%d gets=%d bad=%d " ..
    "create_p50_us=%d create_p99_us=%d get_p50_us=%d get_p99_us=%d\n",
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    total.cycles, total.creates, total.gets, total.bad,
    percentile(create_all, 50), percentile(create_all, 99), percentile(get_all, 50), percentile(get_all, 99)))
  if err ~= "" then io.write("WRK_ERROR " .. string.gsub(err, "%s+", " ") .. "\n") end
end
