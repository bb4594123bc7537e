-- POST /v1/verify with one live access token (TOKEN).
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"token":"' .. os.getenv("TOKEN") .. '"}'
function response(status, headers, body)
  if status == 200 and body:find('"user"', 1, true) then ok = ok + 1 else failures = failures + 1 end
end
