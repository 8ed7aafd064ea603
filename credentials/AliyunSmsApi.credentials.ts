import { randomUUID } from 'crypto';
import type { IAuthenticate, ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { credentialRules } from '../nodes/shared/adapter';
import { ACTIONS, API_VERSION, DISPLAY_NAME, ERRORS, acsDate, signOutgoing } from '../nodes/AliyunSms/aliyunSms.vendor';

export class AliyunSmsApi implements ICredentialType {
	name = 'aliyunSmsApi';

	displayName = 'Alibaba Cloud SMS (Aliyun) API';

	icon: Icon = { light: 'file:../nodes/AliyunSms/aliyunSms.svg', dark: 'file:../nodes/AliyunSms/aliyunSms.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-cn-sms/n8n-nodes-cn-sms#alibaba-cloud-sms-aliyun';

	properties: INodeProperties[] = [
		{
			displayName:
				'Test signs a look-up of the send records of a test number (QuerySendDetails), so nothing is sent: it proves the AccessKey ID, the AccessKey Secret and the SMS permission of the key. It cannot check your signatures, templates or balance; the first send shows those.',
			name: 'testNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'AccessKey ID',
			name: 'accessKeyId',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'LTAI5t…',
			description: 'The AccessKey ID of an Alibaba Cloud account or of a RAM user with SMS permission (AliyunDysmsFullAccess)',
		},
		{
			displayName: 'AccessKey Secret',
			name: 'accessKeySecret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'The AccessKey Secret of that key. It signs each request and is never sent itself.',
		},
		{
			displayName: 'Endpoint',
			name: 'baseUrl',
			type: 'string',
			default: 'https://dysmsapi.aliyuncs.com',
			placeholder: 'https://dysmsapi.aliyuncs.com',
			description:
				'Where the calls go. The global endpoint https://dysmsapi.aliyuncs.com serves mainland China and Hong Kong. For international SMS from a region: Singapore https://dysmsapi.ap-southeast-1.aliyuncs.com, Jakarta https://dysmsapi.ap-southeast-5.aliyuncs.com, Frankfurt https://dysmsapi.eu-central-1.aliyuncs.com. Or a proxy.',
		},
	];

	/**
	 * Alibaba's V3 signature (docs/vendors/aliyun.md#authentication), made here where the secret is, so
	 * the node never sees it. n8n calls this for every attempt, so each gets its own date and nonce (a
	 * reused nonce is refused as SignatureNonceUsed).
	 */
	authenticate: IAuthenticate = async (credentials, requestOptions) => {
		// Pasted keys often carry a stray space or new line; Alibaba's keys have none.
		const keys = {
			accessKeyId: String(credentials.accessKeyId ?? '').trim(),
			accessKeySecret: String(credentials.accessKeySecret ?? '').trim(),
		};
		const signed = signOutgoing(requestOptions, keys, acsDate(new Date()), randomUUID());
		const { body: _body, baseURL: _baseURL, qs: _qs, ...rest } = requestOptions;
		return { ...rest, url: signed.url, headers: signed.headers, ...(signed.body === undefined ? {} : { body: signed.body }) };
	};

	// QuerySendDetails of a test number today in China: a good key gets Code OK (no records), a bad one
	// a credential code (HTTP 400 for a bad signature, so the body is read whatever the status).
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/',
			method: 'POST',
			headers: { 'x-acs-action': ACTIONS.querySendDetails, 'x-acs-version': API_VERSION },
			qs: {
				PhoneNumber: '13800138000',
				SendDate: '={{$now.setZone("Asia/Shanghai").toFormat("yyyyMMdd")}}',
				PageSize: '1',
				CurrentPage: '1',
			},
			json: true,
			ignoreHttpStatusErrors: true,
		},
		rules: [
			...credentialRules(DISPLAY_NAME, 'Code', ERRORS),
			{
				// Every Alibaba answer has a Code; a page from something else (a wrong endpoint) has not.
				type: 'responseSuccessBody' as const,
				properties: {
					key: 'Code',
					value: undefined,
					message: "The endpoint did not answer like Alibaba Cloud's SMS API. Check it, or choose the global endpoint https://dysmsapi.aliyuncs.com.",
				},
			},
		],
	};
}
