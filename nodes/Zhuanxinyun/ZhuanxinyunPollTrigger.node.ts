import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { pullOptions, callOptionsOf, eventsProperty } from '../shared/descriptions';
import { takeNew, type PollMemory } from '../shared/poll-memory';
import { pullRecords } from '../shared/operations';
import * as vendor from './zhuanxinyun.vendor';

/** What the trigger keeps in the workflow's static data between polls. */
interface PollState extends PollMemory {
	/** The last day (yyyy-MM-dd, China time) whose status reports were asked for. */
	lastDay?: string;
}

export class ZhuanxinyunPollTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Zhuanxinyun Poll Trigger',
		name: 'zhuanxinyunPollTrigger',
		icon: { light: 'file:zhuanxinyun.svg', dark: 'file:zhuanxinyun.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"Events: " + ($parameter["events"] || []).join(", ")}}',
		description: 'Starts the workflow for each new delivery report or reply SMS, asking Zhuanxinyun (转信云) on a schedule',
		defaults: { name: 'Zhuanxinyun Poll Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'zhuanxinyunApi', required: true }],
		polling: true,
		properties: [
			{
				displayName:
					'For an n8n that Zhuanxinyun cannot reach (behind NAT, no public URL): at each Poll Time this trigger asks Zhuanxinyun for the status reports of the day and for new replies, and starts the workflow once per record it has not seen. When Zhuanxinyun can reach your n8n, prefer the Zhuanxinyun Trigger: reports arrive the moment they exist, with no calls on a schedule. Fetch Test Event asks Zhuanxinyun for real: replies it shows may not be handed out again.',
				name: 'pollNotice',
				type: 'notice',
				default: '',
			},
			{
				...eventsProperty,
				description: 'Which records start the workflow. Status reports are not asked for when Delivery Report is not selected, nor replies when Reply is not.',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: pullOptions,
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const events = this.getNodeParameter('events', ['delivery', 'reply']) as string[];
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const callOptions = callOptionsOf(options);
		// The transport needs only the credential, the node and the HTTP helper, which a poll has too.
		const ctx = this as unknown as IExecuteFunctions;
		const pull = async (operation: keyof typeof vendor.PULLS, values: IDataObject = {}) =>
			await pullRecords(ctx, vendor.ADAPTER, operation, values, callOptions);

		const manual = this.getMode() === 'manual';
		const state = this.getWorkflowStaticData('node') as PollState;
		const now = new Date();
		const records: IDataObject[] = [];
		const days = vendor.daysToPoll(state.lastDay, now);
		if (events.includes('delivery')) {
			for (const day of days) records.push(...(await pull('getStatusReports', { date: day })));
		}
		// Replies last: if the vendor hands each reply out once, a failure of an earlier call must not
		// have taken them already.
		if (events.includes('reply')) records.push(...(await pull('getReplies')));

		// A test run shows what the vendor has now and remembers nothing (n8n keeps no static data of it).
		if (manual) return records.length > 0 ? [this.helpers.returnJsonArray(records)] : null;

		const { fresh, memory } = takeNew(state, records, vendor.recordIdentity, now);
		state.seen = memory.seen;
		if (memory.floor) state.floor = memory.floor;
		state.lastDay = days[days.length - 1];
		return fresh.length > 0 ? [this.helpers.returnJsonArray(fresh)] : null;
	}
}
