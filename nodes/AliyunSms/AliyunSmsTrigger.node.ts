import type {
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { eventsProperty, rawBodyParameter, triggerSettings, pastedWebhookMethods } from '../shared/descriptions';
import { receivePushThrough } from '../shared/operations';
import { ANSWER_MODE_EXPRESSION } from '../shared/push';
import { ADAPTER } from './aliyunSms.vendor';

/** What Alibaba Cloud takes as success (docs/vendors/aliyun.md#push-answer): the trigger's default answer. */
const SUCCESS_BODY = '{"code":0,"msg":"接收成功"}';

export class AliyunSmsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Alibaba Cloud SMS (Aliyun) Trigger',
		name: 'aliyunSmsTrigger',
		icon: { light: 'file:aliyunSms.svg', dark: 'file:aliyunSms.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"Events: " + ($parameter["events"] || []).join(", ")}}',
		description: 'Starts the workflow when Alibaba Cloud SMS pushes delivery reports (SmsReport) or replies (SmsUp)',
		defaults: { name: 'Alibaba Cloud SMS Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: ANSWER_MODE_EXPRESSION,
				responseData: 'noData',
				path: 'webhook',
			},
		],
		properties: [
			{
				displayName:
					'Paste the Production URL above into the Alibaba Cloud SMS console, 国内消息 (or 国际/港澳台消息) > 通用设置 > 订阅设置 / HTTP批量推送模式: as the address of 短信发送状态报告 (SmsReport) and of 上行短信消息 (SmsUp); both may use this one URL. Then publish this workflow. With a Secret Token set, append ?token=YOUR_TOKEN (your Secret Token) to the URL you paste.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName:
					'Alibaba Cloud waits 700 ms for the answer and pushes again after 1, 5 and 10 minutes (3 times) when it gets none or an error. With Answer the Vendor set to After the Workflow Ran, a workflow that takes longer than 700 ms gets the same push again: tie repeats by messageId (with the phone for delivery reports, since one messageId covers a whole send).',
				name: 'retryNotice',
				type: 'notice',
				default: '',
			},
			eventsProperty,
			triggerSettings(SUCCESS_BODY),
			rawBodyParameter,
		],
	};

	webhookMethods = pastedWebhookMethods;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receivePushThrough(this, ADAPTER, {
			successBody: SUCCESS_BODY,
			successContentType: 'application/json; charset=utf-8',
		});
	}
}
