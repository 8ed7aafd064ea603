import type {
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { rawBodyParameter, triggerSettings, pastedWebhookMethods } from '../shared/descriptions';
import { receivePushThrough } from '../shared/operations';
import { ANSWER_MODE_EXPRESSION } from '../shared/push';
import { ADAPTER } from './sms1oc.vendor';

/** What the vendor takes as success: the trigger's default answer, which the user may change. */
const SUCCESS_BODY = 'ok';

export class Sms1ocTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: '1oc SMS Trigger',
		name: 'sms1ocTrigger',
		icon: { light: 'file:sms1oc.svg', dark: 'file:sms1oc.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: 'Delivery reports',
		description: 'Starts the workflow when 1oc (sms.1oc.cn) pushes a delivery report',
		defaults: { name: '1oc SMS Trigger' },
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
					"1oc's API has no parameter for the report address: send the Production URL above to your 1oc contact (who gave you the App Secret) and ask them to set it as your delivery report address (returnurl). With a Secret Token set, add ?token=YOUR_TOKEN (your Secret Token) to the URL you send. Then publish this workflow. A report holds only the message's mid (the send's messageId) and its status: no number, no time.",
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			triggerSettings(SUCCESS_BODY),
			rawBodyParameter,
		],
	};

	webhookMethods = pastedWebhookMethods;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		// The answer 1oc expects is not documented; a short 200 is what it is likely to take.
		return await receivePushThrough(this, ADAPTER, {
			successBody: SUCCESS_BODY,
		});
	}
}
