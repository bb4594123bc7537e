-- The code flow on fxa-server, as a stream of requests on every connection:
-- POST /v1/oauth/authorization (session Bearer) yields a code, which the next
-- request on any connection trades at POST /v1/token (secret + PKCE, openid
-- so an ID token is signed). A "flow" is one successful exchange.
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")
local codes = {}
local authorize_headers = {
  ["Content-Type"] = "application/json", ["Authorization"] = "Bearer fxs_" .. os.getenv("SESSION_ID"),
}
local authorize_body = string.format(
  '{"client_id":"%s","scope":"openid profile","state":"bench","code_challenge_method":"S256","code_challenge":"%s"}',
  os.getenv("CLIENT_ID"), os.getenv("CHALLENGE"))
local token_headers = { ["Content-Type"] = "application/json" }
local token_template = '{"client_id":"' .. os.getenv("CLIENT_ID") .. '","client_secret":"' .. os.getenv("CLIENT_SECRET") ..
  '","code_verifier":"' .. os.getenv("VERIFIER") .. '","code":"%s"}'

function request()
  local code = table.remove(codes)
  if code then
    return wrk.format("POST", "/v1/token", token_headers, string.format(token_template, code))
  end
  return wrk.format("POST", "/v1/oauth/authorization", authorize_headers, authorize_body)
end

function response(status, headers, body)
  local code = status == 200 and body:match('"code"%s*:%s*"(%x+)"')
  if code then
    table.insert(codes, code)
    ok = ok + 1
  elseif status == 200 and body:find('"id_token"', 1, true) then
    ok = ok + 1
    flows = flows + 1
  else
    failures = failures + 1
  end
end
