// `npm run bench`: prints the tables the README's performance section quotes.
import { cpus, totalmem } from "node:os";
import { benchApi, printApi } from "./api.mjs";
import { benchConftest, printConftest } from "./conftest.mjs";
import { benchEngine, corpusPaths, printEngine } from "./engine.mjs";

console.log(
  `Stagegate benchmark — Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ` +
    `${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
);
printEngine(await benchEngine());
const corpus = corpusPaths();
if (corpus) printConftest(benchConftest(corpus.dir, corpus.paths), corpus.paths.length);
printApi(await benchApi());
