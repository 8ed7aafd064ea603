import type {
	IAuthenticate,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { credentialRules } from '../nodes/shared/adapter';
import { MESSAGES } from '../nodes/Veesing/veesing.vendor';


export class VeesingApi implements ICredentialType {
	name = 'veesingApi';

	displayName = 'Veesing (10658) API';

	icon: Icon = { light: 'file:../nodes/Veesing/veesing.svg', dark: 'file:../nodes/Veesing/veesing.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-cn-sms/n8n-nodes-cn-sms#credential-veesing-10658-api-veesingapi';

	properties: INodeProperties[] = [
		{
			displayName: 'App ID',
			name: 'appId',
			type: 'string',
			required: true,
			default: '',
			description: 'The account ID (账户标识, appId) shown in the account information on the 10658 console home page',
		},
		{
			displayName: 'App Key',
			name: 'appKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'The account key (账户密钥, appKey): on the same page, shown after the console checks your identity',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://cloud.10658.com.cn',
			description: 'Change only to go through a proxy',
		},
	];

	// Both calls are form posts (Content-Type application/x-www-form-urlencoded in the doc's protocol
	// tables). The balance sample puts appId and appKey in the query string instead, but its table is the
	// same "请求参数(Query)" as the send's, whose sample posts them as a form: so they go in the body of
	// both calls, out of URLs and the logs of proxies.
	// A function, not n8n's generic `={{$credentials.x}}` map: n8n 2.41.1 evaluates a generic map's expressions in
	// its sandbox on every vendor call, 1 to 2 ms a call (README, "Where a call's time goes").
	authenticate: IAuthenticate = async (credentials, requestOptions) => ({
		...requestOptions,
		body: {
			...(requestOptions.body as object | undefined),
			appId: credentials.appId ? String(credentials.appId) : '',
			appKey: credentials.appKey ? String(credentials.appKey) : '',
		},
	});

	// The balance call proves the App ID, the App Key and the IP whitelist, and sends nothing.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/smsApi/verifyCode/getBalance',
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		},
		rules: [
			// The balance call's documented failures, told apart by their text (all are returnStatus "0").
			...credentialRules('Veesing', 'message', MESSAGES, { code: '0' }),
			{
				type: 'responseSuccessBody' as const,
				properties: { key: 'returnStatus', value: '0', message: 'Veesing refused the credential (returnStatus 0); check the App ID and App Key.' },
			},
		],
	};
}
