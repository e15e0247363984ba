// Node's fetch (undici) against a mock whose idle timeout is IDLE_MS: LANES clients at once, each sending
// PER_LANE requests one after another and pausing between them for about the idle timeout, at offsets
// spread over the window in which the server closes an idle connection (from the timeout to 100 ms after
// it: the server checks deadlines every 100 ms). A pooled connection reused just as the server closes it
// fails with "other side closed" or ECONNRESET; a server that announces `Keep-Alive: timeout=N` lets
// undici drop the connection first.
//
//   node keep_alive_race.mjs BASE_URL IDLE_MS [LANES] [PER_LANE]
//
// Prints one JSON line: {"requests":N,"failed":N,"errors":{"<message>":count},"statuses":{"200":N},
// "keep_alive":"<the Keep-Alive header of the first response, or null>"}. Exit status 0 whatever happened
// (the caller judges), 2 for bad arguments.
const [baseURL, idleText, lanesText = "8", perLaneText = "6"] = process.argv.slice(2);
const idle = Number(idleText), lanes = Number(lanesText), perLane = Number(perLaneText);
if (!baseURL || !(idle > 0) || !(lanes > 0) || !(perLane > 0)) {
    console.error("usage: node keep_alive_race.mjs BASE_URL IDLE_MS [LANES] [PER_LANE]");
    process.exit(2);
}
const key = "sk-or-v1-mock-management"; // the default management key (seed-data/keys.json)
const url = `${baseURL}/api/v1/workspaces?limit=1`;
// Offsets (ms) past the idle timeout, covering the window in which the server closes.
const offsets = [-40, 0, 20, 40, 60, 80, 100, 120];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const result = { requests: 0, failed: 0, errors: {}, statuses: {}, keep_alive: undefined };

async function lane(number) {
    await sleep(number * 13); // lanes' deadlines fall at different phases of the server's 100 ms check
    for (let i = 0; i < perLane; i++) {
        result.requests++;
        try {
            const response = await fetch(url, { headers: { Authorization: `Bearer ${key}` } });
            await response.arrayBuffer();
            if (result.keep_alive === undefined) result.keep_alive = response.headers.get("keep-alive");
            result.statuses[response.status] = (result.statuses[response.status] ?? 0) + 1;
        } catch (error) {
            result.failed++;
            const cause = error.cause ? `${error.cause.code ?? ""} ${error.cause.message}`.trim() : "";
            const message = `${error.message}${cause ? `: ${cause}` : ""}`;
            result.errors[message] = (result.errors[message] ?? 0) + 1;
        }
        if (i + 1 < perLane) await sleep(idle + offsets[(number + i) % offsets.length]);
    }
}

await Promise.all(Array.from({ length: lanes }, (_, number) => lane(number)));
console.log(JSON.stringify(result));
