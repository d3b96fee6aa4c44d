// Fails when src/lib/api-types.ts is not what openapi-typescript makes of ../openapi.yaml.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const committed = "src/lib/api-types.ts";
const dir = mkdtempSync(join(tmpdir(), "gmm-api-types-"));
const fresh = join(dir, "api-types.ts");
try {
  execFileSync(
    process.execPath,
    ["node_modules/openapi-typescript/bin/cli.js", "../openapi.yaml", "-o", fresh],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  if (readFileSync(fresh, "utf8") !== readFileSync(committed, "utf8")) {
    console.error(
      `${committed} está desatualizado em relação a ../openapi.yaml: rode \`npm run gen:types\`.`,
    );
    process.exit(1);
  }
  console.log(`${committed} confere com ../openapi.yaml.`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
