// The rules n8n's community-package scanner (@n8n/scan-community-package) applies, set up as it sets
// them up (scanner/scanner.mjs, buildScanConfig): @n8n/eslint-plugin-community-nodes' recommended set,
// no-console, and eslint-plugin-n8n-nodes-base's community, credentials and nodes sets with the
// scanner's own overrides. The scanner ignores inline eslint-disable comments, so none are used here:
// `npm run scan` runs the scanner's own code over the source and the packed tarball as a second check.
import tsParser from '@typescript-eslint/parser';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';

export default [
	{ ignores: ['dist/**', 'node_modules/**', 'test/**', 'simulator/**', 'scripts/**', '*.js', '*.mjs'] },
	n8nCommunityNodesPlugin.configs.recommended,
	{ rules: { 'no-console': 'error' } },
	{ plugins: { 'n8n-nodes-base': n8nNodesBase } },
	{ files: ['**/*.json', '**/*.ts'], languageOptions: { parser: tsParser } },
	{
		files: ['package.json'],
		rules: { ...n8nNodesBase.configs.community.rules },
	},
	{
		files: ['credentials/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			// The rule says itself it applies only to the n8n main repository; community packages link a URL.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			// The scanner's choice: the community plugin's credential-password-field decides this better.
			'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			// The scanner's choices: inputs/outputs are NodeConnectionTypes values, not the string 'main';
			// a vendor's real maximum is a valid maxValue.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
		},
	},
];
