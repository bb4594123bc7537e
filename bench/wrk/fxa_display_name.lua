-- POST /v1/display_name with one profile:write token (TOKEN), a new name
-- each time, until LIMIT answers have come back; then it creates DONE_FILE
-- (wrk runs for its whole -d otherwise: bench/events_bench.py interrupts
-- it, and wrk reports the time until then).
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")
local limit = tonumber(os.getenv("LIMIT"))
local sent = 0
function request()
  sent = sent + 1
  return wrk.format("POST", "/v1/display_name",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. os.getenv("TOKEN")},
    '{"displayName":"e' .. sent .. '"}')
end
function response(status, headers, body)
  if status == 200 then ok = ok + 1 else failures = failures + 1 end
  if ok + failures == limit then
    io.open(os.getenv("DONE_FILE"), "w"):close()
    wrk.thread:stop()
  end
end
