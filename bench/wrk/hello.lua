-- GET the hello-world route (`/__lbheartbeat__`: routing and the middleware chain, no work).
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")
wrk.method = "GET"
function response(status, headers, body)
  if status == 200 then ok = ok + 1 else failures = failures + 1 end
end
