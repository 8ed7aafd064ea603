import type {
	IAuthenticate,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { credentialRules } from '../nodes/shared/adapter';
import { ACTIONS, API_VERSION, ERRORS, signRequest } from '../nodes/TencentCloudSms/tencentCloudSms.vendor';

export class TencentCloudSmsApi implements ICredentialType {
	name = 'tencentCloudSmsApi';

	displayName = 'Tencent Cloud SMS API';

	icon: Icon = { light: 'file:../nodes/TencentCloudSms/tencentCloudSms.svg', dark: 'file:../nodes/TencentCloudSms/tencentCloudSms.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-cn-sms/n8n-nodes-cn-sms#tencent-cloud-sms';

	properties: INodeProperties[] = [
		{
			displayName: 'Secret ID',
			name: 'secretId',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE',
			description: 'The SecretId of an API key (Tencent Cloud console, CAM > API keys). It names the key; the Secret Key proves it.',
		},
		{
			displayName: 'Secret Key',
			name: 'secretKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'The SecretKey of the same API key. It signs each request (TC3-HMAC-SHA256) and is never sent itself.',
		},
		{
			displayName: 'SDK App ID',
			name: 'sdkAppId',
			type: 'string',
			required: true,
			default: '',
			placeholder: '1400006666',
			description: 'The SMS application’s SdkAppId (SMS console, Application Management (应用管理) > Application List (应用列表)), sent with every call',
		},
		{
			displayName: 'Region',
			name: 'region',
			type: 'string',
			default: 'ap-guangzhou',
			description: 'The region sent as X-TC-Region, which Tencent requires for SMS: ap-guangzhou unless your account was told otherwise (ap-beijing and ap-nanjing are also used)',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://sms.tencentcloudapi.com',
			description: 'Change only for a regional endpoint (https://sms.ap-guangzhou.tencentcloudapi.com) or a proxy',
		},
	];

	/**
	 * Every call is signed here, where the secret is, with the time of this attempt (Tencent takes a signature
	 * for 5 minutes): the node never sees the SecretKey. signRequest also adds the SdkAppId to the body and
	 * returns the body as the exact text it signed (docs/vendors/tencent-cloud.md#authentication).
	 */
	authenticate: IAuthenticate = async (credentials, requestOptions) =>
		signRequest(
			{
				// Pasted keys often carry a stray space or new line; Tencent's keys have none.
				secretId: String(credentials.secretId ?? '').trim(),
				secretKey: String(credentials.secretKey ?? '').trim(),
				sdkAppId: String(credentials.sdkAppId ?? '').trim(),
				region: String(credentials.region ?? '').trim(),
			},
			requestOptions as IHttpRequestOptions & { baseURL?: string },
			Date.now() / 1000,
		) as IHttpRequestOptions;

	/**
	 * The package statistics of one hour long past: a signed call that proves the key, the SdkAppId (it must
	 * belong to the key's account) and the region, reads no record away, and sends nothing.
	 */
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/',
			method: 'POST',
			headers: { 'Content-Type': 'application/json', 'X-TC-Action': ACTIONS.getBalance, 'X-TC-Version': API_VERSION },
			body: { BeginTime: '2021010100', EndTime: '2021010101', Limit: 1, Offset: 0 },
			json: true,
		},
		rules: [
			...credentialRules('Tencent Cloud SMS', 'Response.Error.Code', ERRORS),
			{
				// Every Tencent answer is {"Response": …}; a page from something else (a wrong base URL) is not.
				type: 'responseSuccessBody',
				properties: {
					key: 'Response',
					value: undefined,
					message: "The base URL did not answer like Tencent Cloud's API. Check it, or leave the default https://sms.tencentcloudapi.com.",
				},
			},
		],
	};
}
