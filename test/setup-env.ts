import { tmpdir } from "node:os";
import { join } from "node:path";

// Compiled policies of the test run are cached in a temporary directory, not in the user's ~/.cache.
process.env.XDG_CACHE_HOME = join(tmpdir(), "stagegate-test-cache");
