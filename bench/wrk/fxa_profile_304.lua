-- GET /v1/profile with If-None-Match: the polling RP whose profile has not changed (304, no body).
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
wrk.headers["If-None-Match"] = os.getenv("ETAG")
function response(status, headers, body)
  if status == 304 then ok = ok + 1 else failures = failures + 1 end
end
