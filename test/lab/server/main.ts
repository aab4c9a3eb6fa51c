// Standalone lab: `npx tsx test/lab/server/main.ts [--port 8443] [--scenario sp-clean] [--user UPN] [--verbose]`.
// Prints the Chromium flags that point the real host names at it, and the scenarios' start URLs.
import { startLab, SCENARIO_NAMES, isScenarioName } from './index.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const scenario = arg('scenario');
if (scenario !== undefined && !isScenarioName(scenario)) {
  console.error(`unknown scenario ${scenario}; one of ${SCENARIO_NAMES.join(', ')}`);
  process.exit(2);
}
const lab = await startLab({
  port: Number(arg('port') ?? process.env.LAB_PORT ?? 8443),
  scenario,
  ...(arg('user') ? { user: arg('user') } : {}),
  verbose: process.argv.includes('--verbose'),
});
console.log(`samlscope lab on ${lab.origin} (default scenario: ${lab.scenario()}; user at the keyboard: ${lab.user()})\n`);
console.log('Chromium flags:');
console.log(`  --host-resolver-rules="${lab.hostRules}" --ignore-certificate-errors\n`);
console.log('Scenarios (open the start URL in that browser):');
for (const s of Object.values(lab.scenarios)) console.log(`  ${s.name.padEnd(22)} ${s.startUrl}`);
console.log('\nChange the default: curl -k -X POST "https://127.0.0.1:' + lab.port + '/__lab/scenario?name=expired"');
console.log('Change the user:    curl -k -X POST "https://127.0.0.1:' + lab.port + '/__lab/user?upn=yaroslava.kovalchuk@contoso.com"');
const stop = () => void lab.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
