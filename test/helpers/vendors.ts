/**
 * THE per-vendor table of the tests: every vendor's action node, credential and trigger as data. The
 * contract battery (test/contract.test.ts), the fault battery (test/faults.test.ts), the output schema
 * check (test/package/output-schemas.test.ts), the trigger answers (test/trigger-answers.test.ts) and
 * the credential checks (test/unit/credential-authenticate.test.ts, test/simulator-credentials.test.ts)
 * run their cases against each entry. A new vendor adds one entry here (docs/vendors/README.md).
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	INodeExecutionData,
	INodeParameters,
	INodeType,
} from 'n8n-workflow';

import { AliyunSmsApi } from '../../credentials/AliyunSmsApi.credentials';
import { ChonryApi } from '../../credentials/ChonryApi.credentials';
import { PolyvApi } from '../../credentials/PolyvApi.credentials';
import { Sms1ocApi } from '../../credentials/Sms1ocApi.credentials';
import { TencentCloudSmsApi } from '../../credentials/TencentCloudSmsApi.credentials';
import { VeesingApi } from '../../credentials/VeesingApi.credentials';
import { ZhuanxinyunApi } from '../../credentials/ZhuanxinyunApi.credentials';
import { AliyunSms } from '../../nodes/AliyunSms/AliyunSms.node';
import { AliyunSmsTrigger } from '../../nodes/AliyunSms/AliyunSmsTrigger.node';
import { Chonry } from '../../nodes/Chonry/Chonry.node';
import { ChonryTrigger } from '../../nodes/Chonry/ChonryTrigger.node';
import { Polyv } from '../../nodes/Polyv/Polyv.node';
import { Sms1oc } from '../../nodes/Sms1oc/Sms1oc.node';
import { Sms1ocTrigger } from '../../nodes/Sms1oc/Sms1ocTrigger.node';
import { TencentCloudSms } from '../../nodes/TencentCloudSms/TencentCloudSms.node';
import { TencentCloudSmsTrigger } from '../../nodes/TencentCloudSms/TencentCloudSmsTrigger.node';
import { Veesing } from '../../nodes/Veesing/Veesing.node';
import { VeesingTrigger } from '../../nodes/Veesing/VeesingTrigger.node';
import { Zhuanxinyun } from '../../nodes/Zhuanxinyun/Zhuanxinyun.node';
import { ZhuanxinyunTrigger } from '../../nodes/Zhuanxinyun/ZhuanxinyunTrigger.node';
import { runWorkflow } from './workflow';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { credentialsFor } = require('../../simulator') as { credentialsFor(vendor: string, baseUrl: string): Record<string, string> };

/** A Zhuanxinyun status report push, one record with the mission number given. */
export const zhuanxinyunReport = (missionNum: string) =>
	`<?xml version="1.0" encoding="UTF-8"?><xml><head><app_key>k</app_key></head><body><records><record><mission_num>${missionNum}</mission_num><dest_id>13800138000</dest_id><receive_real_status>DELIVRD</receive_real_status><stat_time>2017-04-21 22:42:22</stat_time></record></records></body></xml>`;
const ZHUANXINYUN_REPORT = zhuanxinyunReport('m1');

export type PushRecord = Record<string, unknown>;

/** What the trigger should make of one pushed record. */
export interface ExpectedPush extends IDataObject {
	phone: string | null;
	messageId?: string;
	receivedAt?: string | null;
	content?: string;
	delivered?: boolean;
}

export interface TriggerAdapter {
	/** The contract's trigger node name. */
	name: string;
	nodeType: new () => INodeType;
	/** The answer the vendor takes as success (contract, "Webhook answers"). */
	answer: string;
	/** The Content-Type the vendor pushes with; a malformed body is posted with it. */
	contentType: string;
	malformed: string;
	/** Records for `sim.push`: one delivered, one not. */
	delivery: Array<{ record: PushRecord; expected: ExpectedPush }>;
	/** Absent where the vendor pushes no replies. */
	reply?: { record: PushRecord; expected: ExpectedPush };
	/** A valid push body as the vendor sends it (with `contentType`), and the Content-Type of `answer`. */
	valid: string;
	answerContentType: string;
	/** Whether the trigger has the events filter (a vendor that pushes delivery reports only has none). */
	events: boolean;
}

export interface Adapter {
	/** The contract's vendor name: the simulator's vendor, and `vendor` in every output item. */
	vendor: string;
	/** The contract's action node and credential names. */
	node: string;
	credential: string;
	nodeType: new () => INodeType;
	credentialType: new () => ICredentialType;
	/** The contract's operations of the node, all of them. */
	operations: string[];
	/** The field a wrong value is put in, and the vendor's own error code and text for it. */
	wrongField: string;
	wrongCode: string;
	wrongText: string;
	/** A valid send, `phones` aside. */
	send: INodeParameters;
	/** Whether the send answer has an id per number (else only the item's batch id). */
	idPerNumber: boolean;
	/** Vendors that take one number a call: `raw` is then an array (contract). */
	rawIsArray: boolean;
	/** The simulator's operation name of a send (for its fault modes). */
	sendOperation: string;
	balance?: { unit: 'messages' | 'CNY'; configure: IDataObject; expected: number };
	trigger?: TriggerAdapter;
	/** The node's folder under nodes/ (its __schema__ lives there). */
	folder: string;
	/** One run per operation that has an output schema (`__schema__/v1.0.0/<operation>.json`). */
	schemaRuns: Record<string, INodeParameters>;
	/** Parameters that make each item its own vendor call (`$json.n` differs per item), for the fault battery. */
	ownCall: INodeParameters;
	/** Credentials that add their keys to the form body: a credential's data, and the fields it adds. */
	formKeys?: { data: ICredentialDataDecryptedObject; added: Record<string, string> };
}

export const ADAPTERS: Adapter[] = [
	{
		vendor: 'zhuanxinyun',
		node: 'zhuanxinyun',
		credential: 'zhuanxinyunApi',
		nodeType: Zhuanxinyun,
		credentialType: ZhuanxinyunApi,
		operations: ['send', 'sendTemplate', 'getBalance', 'getReplies', 'getStatusReports'],
		wrongField: 'appSecret',
		wrongCode: '100003',
		wrongText: 'appSecret错误',
		send: { operation: 'send', content: '【云锋网络】您的验证码是4711' },
		idPerNumber: true,
		rawIsArray: false,
		sendOperation: 'sendSms',
		folder: 'Zhuanxinyun',
		schemaRuns: {
			send: { operation: 'send', phones: '13800138000, 13900139000', content: '【云锋网络】您的验证码是4711' },
			sendTemplate: { operation: 'sendTemplate', phones: '13800138000', templateId: '27', content: '【云锋网络】您好,这是测试4711' },
			getBalance: { operation: 'getBalance' },
		},
		ownCall: { content: '=【云锋网络】您的验证码是{{ $json.n }}' },
		formKeys: { data: { appKey: 'k1', appSecret: 's1', baseUrl: 'u' }, added: { appKey: 'k1', appSecret: 's1' } },
		balance: { unit: 'messages', configure: { zhuanxinyun: { balance: 4321 } }, expected: 4321 },
		trigger: {
			name: 'zhuanxinyunTrigger',
			nodeType: ZhuanxinyunTrigger,
			answer: 'SUCCESS',
			contentType: 'text/xml;charset=UTF-8',
			valid: ZHUANXINYUN_REPORT,
			answerContentType: 'text/plain; charset=utf-8',
			events: true,
			malformed: '<xml><body><records><record><dest_id>138',
			delivery: [
				{
					record: { missionNum: 'm1', phone: '8613800138000', batchNum: 'b1', realStatus: 'DELIVRD', statTime: '2024-05-06 07:08:09' },
					expected: { phone: '13800138000', messageId: 'm1', receivedAt: '2024-05-06T07:08:09+08:00', delivered: true },
				},
				{
					record: { missionNum: 'm2', phone: '13900139000', batchNum: 'b1', realStatus: 'MK:0001', statTime: '2024-05-06 07:08:10' },
					expected: { phone: '13900139000', messageId: 'm2', receivedAt: '2024-05-06T07:08:10+08:00', delivered: false },
				},
			],
			reply: { record: { phone: '13800138000', content: '收到 & 谢谢' }, expected: { phone: '13800138000', content: '收到 & 谢谢' } },
		},
	},
	{
		vendor: 'polyv',
		node: 'polyv',
		credential: 'polyvApi',
		nodeType: Polyv,
		credentialType: PolyvApi,
		operations: ['send'],
		wrongField: 'appSecret',
		wrongCode: '20002',
		wrongText: 'invalid signature.',
		send: { operation: 'send', templateParams: { parameters: [{ name: 'code', value: '654321' }] } },
		idPerNumber: true,
		rawIsArray: false,
		sendOperation: 'send',
		folder: 'Polyv',
		schemaRuns: { send: { operation: 'send', phones: '13800138000, 13900139000', templateParams: { parameters: [{ name: 'code', value: '654321' }] } } },
		ownCall: { templateParams: { parameters: [{ name: 'code', value: '={{ $json.n }}' }] } },
	},
	{
		vendor: 'chonry',
		node: 'chonry',
		credential: 'chonryApi',
		nodeType: Chonry,
		credentialType: ChonryApi,
		operations: ['send', 'getBalance'],
		wrongField: 'secret',
		wrongCode: '9006',
		wrongText: '用户accessKey不正确',
		send: { operation: 'send', templateId: '200', variables: ['4711', '5'] },
		// The international send answers a batchId only; per-number smUuids come with the reports.
		idPerNumber: false,
		rawIsArray: false,
		sendOperation: 'send',
		folder: 'Chonry',
		schemaRuns: {
			send: { operation: 'send', phones: '+8613800138000, +447911123456', templateId: '200', variables: ['4711', '5'] },
			getBalance: { operation: 'getBalance' },
		},
		ownCall: { options: { senderId: '=Shop{{ $json.n }}' } },
		formKeys: { data: { accessKey: 'k2', secret: 's2', baseUrl: 'u', intlBaseUrl: 'v' }, added: { accesskey: 'k2', secret: 's2' } },
		balance: { unit: 'CNY', configure: { chonry: { balance: 12.5 } }, expected: 12.5 },
		trigger: {
			name: 'chonryTrigger',
			nodeType: ChonryTrigger,
			answer: '{"code":"0","msg":"SUCCESS"}',
			contentType: 'application/x-www-form-urlencoded;charset=utf-8',
			valid: 'smUuid=u1&mobile=8613800138000&batchId=b1&deliverResult=DELIVRD&deliverTime=2024-05-06+07%3A08%3A09',
			answerContentType: 'application/json; charset=utf-8',
			events: true,
			malformed: 'smUuid=u1&mobile=8613800138000',
			delivery: [
				{
					record: { smUuid: '10000_1_0_8613800138000_1_AbCdEfG_1', phone: '8613800138000', batchId: 'AbCdEfG', deliverResult: 'DELIVRD', deliverTime: '2024-05-06 07:08:09' },
					expected: { phone: '13800138000', messageId: '10000_1_0_8613800138000_1_AbCdEfG_1', receivedAt: '2024-05-06T07:08:09+08:00', delivered: true },
				},
				{
					record: { smUuid: '10000_1_0_8613900139000_1_AbCdEfG_1', phone: '8613900139000', batchId: 'AbCdEfG', deliverResult: 'REJECT', deliverTime: '2024-05-06 07:08:10' },
					expected: { phone: '13900139000', messageId: '10000_1_0_8613900139000_1_AbCdEfG_1', receivedAt: '2024-05-06T07:08:10+08:00', delivered: false },
				},
			],
			reply: {
				record: { phone: '8613800138000', content: '好的 + thanks', receiveTime: '2024-05-06 07:08:09', extNo: '' },
				expected: { phone: '13800138000', content: '好的 + thanks', receivedAt: '2024-05-06T07:08:09+08:00' },
			},
		},
	},
	{
		vendor: 'veesing',
		node: 'veesing',
		credential: 'veesingApi',
		nodeType: Veesing,
		credentialType: VeesingApi,
		operations: ['send', 'getBalance'],
		wrongField: 'appKey',
		wrongCode: '0',
		wrongText: '账号或密码错误',
		send: { operation: 'send', templateId: '540', code: '4711' },
		idPerNumber: true,
		rawIsArray: true,
		sendOperation: 'send',
		folder: 'Veesing',
		schemaRuns: { send: { operation: 'send', phones: '13800138000, 13900139000', templateId: '540', code: '4711' }, getBalance: { operation: 'getBalance' } },
		ownCall: {},
		formKeys: { data: { appId: 'i3', appKey: 'k3', baseUrl: 'u' }, added: { appId: 'i3', appKey: 'k3' } },
		balance: { unit: 'messages', configure: { veesing: { balance: 777 } }, expected: 777 },
		trigger: {
			name: 'veesingTrigger',
			nodeType: VeesingTrigger,
			answer: 'ok',
			contentType: 'application/x-www-form-urlencoded;charset=utf-8',
			valid: 'mobile=13800138000&taskid=3313746&status=1&receivetime=2019-07-23+17%3A00%3A00',
			answerContentType: 'text/plain; charset=utf-8',
			events: true,
			malformed: 'taskid=1&status=1',
			delivery: [
				{
					record: { phone: '8613800138000', taskId: '3313746', status: '1', receiveTime: '2019-07-23 17:00:00' },
					expected: { phone: '13800138000', messageId: '3313746', receivedAt: '2019-07-23T17:00:00+08:00', delivered: true },
				},
				{
					record: { phone: '13900139000', taskId: '3313747', status: '0', receiveTime: '2019-07-23 17:00:01' },
					expected: { phone: '13900139000', messageId: '3313747', receivedAt: '2019-07-23T17:00:01+08:00', delivered: false },
				},
			],
			reply: {
				record: { phone: '8613800138000', taskId: '3313746', content: '收到 & 谢谢+1', receiveTime: '2019-07-23 17:00:02' },
				expected: { phone: '13800138000', messageId: '3313746', content: '收到 & 谢谢+1', receivedAt: '2019-07-23T17:00:02+08:00' },
			},
		},
	},
	{
		vendor: 'sms1oc',
		node: 'sms1oc',
		credential: 'sms1ocApi',
		nodeType: Sms1oc,
		credentialType: Sms1ocApi,
		operations: ['send'],
		wrongField: 'appSecret',
		wrongCode: '400',
		wrongText: '校验失败',
		send: { operation: 'send', template: 'SMS_0001', code: '654321' },
		idPerNumber: true,
		rawIsArray: true,
		sendOperation: 'send',
		folder: 'Sms1oc',
		schemaRuns: { send: { operation: 'send', phones: '13800138000, 13900139000', template: 'SMS_0001', code: '654321' } },
		ownCall: {},
		trigger: {
			name: 'sms1ocTrigger',
			nodeType: Sms1ocTrigger,
			answer: 'ok',
			contentType: 'application/json',
			valid: '{"mid":"m1","stat":"DELIVRD"}',
			answerContentType: 'text/plain; charset=utf-8',
			events: false,
			malformed: '{"mid":"1151894566D2EDD9","stat":',
			// 1oc's report names no number and no time.
			delivery: [
				{ record: { mid: '1151894566D2EDD9', stat: 'DELIVRD' }, expected: { phone: null, messageId: '1151894566D2EDD9', receivedAt: null, delivered: true } },
				{ record: { mid: '1151894566D2EDDA', stat: 'MA:0001' }, expected: { phone: null, messageId: '1151894566D2EDDA', receivedAt: null, delivered: false } },
			],
		},
	},
	{
		vendor: 'aliyunSms',
		node: 'aliyunSms',
		credential: 'aliyunSmsApi',
		nodeType: AliyunSms,
		credentialType: AliyunSmsApi,
		operations: ['send', 'getSendDetails'],
		wrongField: 'accessKeySecret',
		wrongCode: 'SignatureDoesNotMatch',
		wrongText: 'Specified signature does not match our calculation.',
		send: { operation: 'send', signName: '阿里云短信测试', templateCode: 'SMS_154950909', templateParams: { parameters: [{ name: 'code', value: '4711' }] } },
		// One BizId per call, every recipient's messageId.
		idPerNumber: true,
		rawIsArray: false,
		sendOperation: 'sendSms',
		folder: 'AliyunSms',
		schemaRuns: {
			send: { operation: 'send', phones: '13800138000, 13900139000', signName: '阿里云短信测试', templateCode: 'SMS_154950909', templateParams: { parameters: [{ name: 'code', value: '4711' }] } },
		},
		// Numbers with values of their own share SendBatchSms calls: two numbers an item with the item's own
		// code make one SendSms call an item.
		ownCall: { phones: '={{ $json.phones }},1370000{{ $json.n }}', templateParams: { parameters: [{ name: 'code', value: '={{ $json.n }}' }] } },
		trigger: {
			name: 'aliyunSmsTrigger',
			nodeType: AliyunSmsTrigger,
			answer: '{"code":0,"msg":"接收成功"}',
			contentType: 'application/json;charset=utf-8',
			valid: '[{"phone_number":"13800138000","send_time":"2024-05-06 07:08:09","report_time":"2024-05-06 07:08:19","success":true,"err_code":"DELIVERED","err_msg":"用户接收成功","sms_size":"1","biz_id":"375420194646745909^0"}]',
			answerContentType: 'application/json; charset=utf-8',
			events: true,
			malformed: '[{"phone_number":"138',
			delivery: [
				{
					record: { phone: '8613800138000', bizId: '375420194646745909^0', success: true, errCode: 'DELIVERED', reportTime: '2024-05-06 07:08:19' },
					expected: { phone: '13800138000', messageId: '375420194646745909^0', receivedAt: '2024-05-06T07:08:19+08:00', delivered: true },
				},
				{
					record: { phone: '13900139000', bizId: '375420194646745909^0', success: false, errCode: 'MK:0001', reportTime: '2024-05-06 07:08:20' },
					expected: { phone: '13900139000', messageId: '375420194646745909^0', receivedAt: '2024-05-06T07:08:20+08:00', delivered: false },
				},
			],
			reply: {
				record: { phone: '8613800138000', content: '收到 & 谢谢+1', sendTime: '2024-05-06 07:09:00', sequenceId: '1234567' },
				expected: { phone: '13800138000', messageId: '1234567', content: '收到 & 谢谢+1', receivedAt: '2024-05-06T07:09:00+08:00' },
			},
		},
	},
	{
		vendor: 'tencentCloudSms',
		node: 'tencentCloudSms',
		credential: 'tencentCloudSmsApi',
		nodeType: TencentCloudSms,
		credentialType: TencentCloudSmsApi,
		operations: ['send', 'getBalance', 'getStatusReports', 'getReplies'],
		wrongField: 'secretKey',
		wrongCode: 'AuthFailure.SignatureFailure',
		wrongText: 'The provided credentials could not be validated. Please check your signature is correct.',
		send: { operation: 'send', signName: '腾讯云', templateId: '1110', templateParams: { value: [{ value: '4711' }, { value: '5' }] } },
		idPerNumber: true,
		rawIsArray: false,
		sendOperation: 'send',
		folder: 'TencentCloudSms',
		schemaRuns: {
			send: { operation: 'send', phones: '13800138000, 13900139000', signName: '腾讯云', templateId: '1110', templateParams: { value: [{ value: '4711' }, { value: '5' }] } },
			getBalance: { operation: 'getBalance' },
		},
		ownCall: { templateParams: { value: [{ value: '={{ $json.n }}' }, { value: '5' }] } },
		balance: { unit: 'messages', configure: { tencentCloudSms: { balance: 4321 } }, expected: 4321 },
		trigger: {
			name: 'tencentCloudSmsTrigger',
			nodeType: TencentCloudSmsTrigger,
			answer: '{"result":0,"errmsg":"OK"}',
			contentType: 'application/json',
			valid: '[{"user_receive_time":"2015-10-17 08:03:04","nationcode":"86","mobile":"13800138000","report_status":"SUCCESS","errmsg":"DELIVRD","description":"用户短信送达成功","sid":"5000:1","ext":""}]',
			answerContentType: 'application/json',
			events: true,
			malformed: '[{"user_receive_time":"2015-10-17 08:03:04","mobile":',
			delivery: [
				{
					record: { phone: '+8613800138000', serialNo: '5000:1', status: 'SUCCESS', code: 'DELIVRD', receiveTime: '2024-05-06 07:08:09' },
					expected: { phone: '13800138000', messageId: '5000:1', receivedAt: '2024-05-06T07:08:09+08:00', delivered: true },
				},
				{
					record: { phone: '13900139000', serialNo: '5000:2', status: 'FAIL', code: 'MK:0001', receiveTime: '2024-05-06 07:08:10' },
					expected: { phone: '13900139000', messageId: '5000:2', receivedAt: '2024-05-06T07:08:10+08:00', delivered: false },
				},
			],
			reply: { record: { phone: '13800138000', text: '收到 & 谢谢', sign: '腾讯云' }, expected: { phone: '13800138000', content: '收到 & 谢谢' } },
		},
	},
];

/** A credential of the simulator's account for this vendor (the simulator's `credentialsFor`), every base URL set to `baseUrl`. */
export function credentialsOf(adapter: Adapter, baseUrl: string, wrong?: string): ICredentialDataDecryptedObject {
	const data: ICredentialDataDecryptedObject = credentialsFor(adapter.vendor, baseUrl);
	if (wrong !== undefined) data[adapter.wrongField] = wrong;
	return data;
}

/** The values of the vendor's simulator credential that are not a base URL: its secrets. */
export function secretsOf(adapter: Adapter): string[] {
	const mark = 'http://127.0.0.1:9';
	return Object.values(credentialsFor(adapter.vendor, mark)).filter((value) => value !== mark);
}

/** Runs the vendor's action node in the real n8n execution engine. */
export function runVendorNode(
	adapter: Adapter,
	baseUrl: string,
	parameters: INodeParameters,
	items: INodeExecutionData[],
	extra: { continueOnFail?: boolean; wrong?: string } = {},
) {
	const type = `n8n-nodes-cn-sms.${adapter.node}`;
	return runWorkflow({
		nodeTypes: { [type]: new adapter.nodeType() },
		credentialTypes: { [adapter.credential]: new adapter.credentialType() },
		credentials: { [adapter.credential]: credentialsOf(adapter, baseUrl, extra.wrong) },
		items,
		node: { type, parameters, continueOnFail: extra.continueOnFail },
	});
}

/** A send of the adapter's valid parameters to one item per phones value. */
export const sendTo = (adapter: Adapter, baseUrl: string, phones: string[], extra: { continueOnFail?: boolean; wrong?: string; options?: IDataObject } = {}) =>
	runVendorNode(
		adapter,
		baseUrl,
		{ ...adapter.send, phones: '={{ $json.phones }}', ...(extra.options && { options: extra.options as INodeParameters }) },
		phones.map((value) => ({ json: { phones: value } })),
		extra,
	);
