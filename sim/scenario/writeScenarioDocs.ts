import { writeFileSync } from 'node:fs';
import { scenarioReadme } from './fieldReference.ts';
import { scenarioJsonSchemaText } from './jsonSchema.ts';

// `npm run scenario-docs`: regenerates the two files derived from the scenario schema.
writeFileSync(new URL('../../scenarios/scenario.schema.json', import.meta.url), scenarioJsonSchemaText());
writeFileSync(new URL('../../scenarios/README.md', import.meta.url), scenarioReadme());
process.stderr.write('wrote scenarios/scenario.schema.json and scenarios/README.md\n');
