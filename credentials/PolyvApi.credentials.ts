import type {
	IAuthenticate,
	IAuthenticateRuleResponseSuccessBody,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { SEND_PATH, signedQuery } from '../nodes/Polyv/polyv.vendor';

/**
 * Polyv has no balance or account call for SMS (docs/vendors/polyv.md#no-balance), so the test sends a signed
 * request that names no phone number. Polyv checks the App ID and the signature before it reads the
 * body: a wrong App ID or App Secret is refused as such, a right one gets "param should not be
 * empty: phoneNumbers" (HTTP 400) and nothing is sent. n8n's rules compare values only, so these
 * name the refusals; any other JSON answer from Polyv counts as a signature that was accepted.
 */
const REFUSALS: IAuthenticateRuleResponseSuccessBody[] = [
	{
		type: 'responseSuccessBody',
		properties: {
			key: 'error.desc',
			value: 'invalid signature.',
			message:
				"Polyv refused the signature (invalid signature.): the App Secret does not belong to this App ID, or this n8n host's clock is more than 3 minutes off.",
		},
	},
	{
		type: 'responseSuccessBody',
		properties: {
			key: 'error.desc',
			value: 'application not found.',
			message: 'Polyv error 20001: Polyv does not know this App ID (application not found.)',
		},
	},
	{
		type: 'responseSuccessBody',
		properties: {
			key: 'error.code',
			value: 20001,
			message: 'Polyv error 20001: Polyv does not know this App ID',
		},
	},
	{
		// Every Polyv answer has `success`; a page from something else (a wrong base URL) has not.
		type: 'responseSuccessBody',
		properties: {
			key: 'success',
			value: undefined,
			message: "The base URL did not answer like Polyv's API. Check it, or leave the default https://api.polyv.net.",
		},
	},
];

export class PolyvApi implements ICredentialType {
	name = 'polyvApi';

	displayName = 'Polyv API';

	icon: Icon = { light: 'file:../nodes/Polyv/polyv.svg', dark: 'file:../nodes/Polyv/polyv.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-cn-sms/n8n-nodes-cn-sms#polyv';

	properties: INodeProperties[] = [
		{
			displayName:
				'Test checks the App ID and App Secret with a signed request that names no phone number, so nothing is sent. Polyv has no balance or account call for SMS: Test cannot check that SMS is enabled on the account, that its Aliyun SMS template is configured, or how much of the daily limit (2,000 messages) is left. The first send shows those.',
			name: 'testNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'App ID',
			name: 'appId',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'frlr1zazn3',
			description: 'The appId of the Polyv account (Polyv console, 开发设置 / API settings)',
		},
		{
			displayName: 'App Secret',
			name: 'appSecret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'The appSecret from the same page. It signs each request and is never sent itself.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.polyv.net',
			description: 'Change only to go through a proxy',
		},
	];

	/**
	 * Polyv wants appId, timestamp and sign in the query string (docs/vendors/polyv.md#authentication). The signature is made
	 * here, where the secret is, so the node never sees the secret; n8n calls this for every request,
	 * and so every attempt gets a fresh timestamp (Polyv takes it for 3 minutes only).
	 */
	authenticate: IAuthenticate = async (credentials, requestOptions) => {
		// Pasted keys often carry a stray space or new line; Polyv's keys have none.
		const appId = String(credentials.appId ?? '').trim();
		const appSecret = String(credentials.appSecret ?? '').trim();
		return { ...requestOptions, qs: { ...(requestOptions.qs ?? {}), ...signedQuery(appId, appSecret) } };
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: SEND_PATH,
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: { phoneNumbers: [], templateParamNames: [], templateParamValues: [] },
			json: true,
			// Polyv answers every refusal with HTTP 400 and says why in the body; the rules read it.
			ignoreHttpStatusErrors: true,
		},
		rules: REFUSALS,
	};
}
