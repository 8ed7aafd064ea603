/**
 * The Zhuanxinyun Poll Trigger's poll() through n8n-core's real PollContext (real credential handling,
 * real HTTP to the simulator on 127.0.0.1, the workflow's real static data). n8n's WorkflowExecute does
 * not run poll(): n8n's scheduler does, with such a context, and saves the static data with the
 * workflow; a restart is a new Workflow built from the saved static data, as n8n builds it from its
 * database.
 */
import {
	NodeApiError,
	NodeHelpers,
	Workflow,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeTypes,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { ZhuanxinyunApi } from '../../credentials/ZhuanxinyunApi.credentials';
import { ZhuanxinyunPollTrigger } from '../../nodes/Zhuanxinyun/ZhuanxinyunPollTrigger.node';
import { credentialsFor, useSimulator, type RecordedRequest } from '../helpers/simulator';
import { TestCredentialsHelper } from '../helpers/workflow';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PollContext } = require('n8n-core') as typeof import('n8n-core');

const TYPE = 'n8n-nodes-cn-sms.zhuanxinyunPollTrigger';
const sim = useSimulator();
const nodeType = new ZhuanxinyunPollTrigger();

const chinaDay = (daysBack = 0) => new Date(Date.now() + 8 * 3600e3 - daysBack * 86400e3).toISOString().slice(0, 10);
const today = chinaDay();

interface Instance {
	workflow: Workflow;
	node: INode;
}

/** A workflow holding the trigger, as n8n builds it when it activates one (or again after a restart). */
function activate(parameters: IDataObject = {}, staticData?: IDataObject, credentials: IDataObject = {}): Instance & { credentials: IDataObject } {
	const node: INode = {
		id: 'poll-node',
		name: 'Zhuanxinyun Poll Trigger',
		type: TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: parameters as INode['parameters'],
		credentials: { zhuanxinyunApi: { id: 'cred-1', name: 'Zhuanxinyun' } },
	};
	const nodeTypes: INodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: (_type, version) => NodeHelpers.getVersionedNodeType(nodeType, version),
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({ id: 'wf-poll', nodes: [node], connections: {}, active: true, nodeTypes, staticData });
	return { workflow, node, credentials };
}

/** One poll, as n8n's scheduler runs it: the items it would start an execution with, or null. */
async function poll(instance: Instance & { credentials: IDataObject }, mode: WorkflowExecuteMode = 'trigger'): Promise<IDataObject[] | null> {
	const credentialsHelper = new TestCredentialsHelper(
		{ zhuanxinyunApi: new ZhuanxinyunApi() },
		{ zhuanxinyunApi: { ...credentialsFor('zhuanxinyun', sim().url), ...(instance.credentials as ICredentialDataDecryptedObject) } },
	);
	const additionalData = { credentialsHelper, variables: {} } as unknown as IWorkflowExecuteAdditionalData;
	const ctx = new PollContext(instance.workflow, instance.node, additionalData, mode, 'activate');
	const result = (await nodeType.poll!.call(ctx)) as INodeExecutionData[][] | null;
	return result === null ? null : result[0].map((item) => item.json);
}

/** What n8n writes to its database and reads back at the next start. */
const saved = (instance: Instance) => JSON.parse(JSON.stringify(instance.workflow.staticData)) as IDataObject;

const requests = (): RecordedRequest[] => sim().requests;
const addReports = (...reports: IDataObject[]) => sim().configure({ zhuanxinyun: { reports } });
const addReplies = (...replies: IDataObject[]) => sim().configure({ zhuanxinyun: { replies } });

describe('Zhuanxinyun Poll Trigger', () => {
	it('emits each status report and reply once, across polls and a restart, in the push trigger\'s item shape', async () => {
		addReports(
			{ phone: '13800138000', missionNum: 'm1', batchNum: 'b1', statTime: `${today} 00:00:01` },
			{ phone: '13900000000', missionNum: 'm2', batchNum: 'b1', realStatus: 'MK:0001', statTime: `${today} 00:00:02` },
		);
		addReplies({ phone: '13800138000', content: '收到', destId: '106901234512', time: `${today} 00:00:03` });
		const first = activate();

		const items = await poll(first);
		expect(items).toEqual([
			{
				vendor: 'zhuanxinyun',
				event: 'delivery',
				phone: '13800138000',
				messageId: 'm1',
				batchId: 'b1',
				delivered: true,
				status: 'DELIVRD',
				statusText: 'Delivered',
				receivedAt: `${today}T00:00:01+08:00`,
				raw: expect.objectContaining({ mission_num: 'm1', dest_id: '13800138000' }),
			},
			expect.objectContaining({ event: 'delivery', messageId: 'm2', delivered: false, status: 'MK:0001', statusText: 'The number does not exist' }),
			expect.objectContaining({ event: 'reply', phone: '13800138000', content: '收到', extension: '106901234512', receivedAt: `${today}T00:00:03+08:00` }),
		]);
		expect(requests().map((r) => [r.operation, r.params.time])).toEqual([
			['queryStatusReport', today],
			['queryMoRecord', undefined],
		]);
		expect(requests().every((r) => Object.keys(r.query).length === 0)).toBe(true);

		// The day's reports come back at every poll: none is emitted again.
		expect(await poll(first)).toBeNull();
		addReports({ phone: '13700137000', missionNum: 'm3', statTime: `${today} 00:00:04` });
		expect((await poll(first))!.map((item) => item.messageId)).toEqual(['m3']);

		// n8n restarts: the workflow is built again from the static data it saved.
		const restarted = activate({}, saved(first));
		expect(await poll(restarted)).toBeNull();
		addReports({ phone: '13600136000', missionNum: 'm4', statTime: `${today} 00:00:05` });
		// The first reply handed out again (as a vendor that gives out all replies would), and a new one.
		addReplies(
			{ phone: '13800138000', content: '收到', destId: '106901234512', time: `${today} 00:00:03` },
			{ phone: '13800138000', content: '好的', time: `${today} 00:00:06` },
		);
		expect((await poll(restarted))!.map((item) => item.messageId ?? item.content)).toEqual(['m4', '好的']);
		expect(await poll(restarted)).toBeNull();
	});

	it('keeps two equal replies of one answer apart', async () => {
		addReplies({ phone: '13800138000', content: 'TD', time: `${today} 00:00:03` }, { phone: '13800138000', content: 'TD', time: `${today} 00:00:03` });
		expect(await poll(activate())).toHaveLength(2);
	});

	it('asks only for what the events filter selects', async () => {
		addReports({ phone: '13800138000', missionNum: 'm1', statTime: `${today} 00:00:01` });
		addReplies({ phone: '13800138000', content: '收到' });
		expect((await poll(activate({ events: ['reply'] })))!.map((item) => item.event)).toEqual(['reply']);
		expect(requests().map((r) => r.operation)).toEqual(['queryMoRecord']);
		sim().reset();
		addReports({ phone: '13800138000', missionNum: 'm1', statTime: `${today} 00:00:01` });
		expect((await poll(activate({ events: ['delivery'] })))!.map((item) => item.event)).toEqual(['delivery']);
		expect(requests().map((r) => r.operation)).toEqual(['queryStatusReport']);
	});

	it('asks for every day since the last poll after n8n was stopped, and emits the reports it missed', async () => {
		addReports(
			{ phone: '13800138000', missionNum: 'old', statTime: `${chinaDay(2)} 23:59:59` },
			{ phone: '13800138000', missionNum: 'new', statTime: `${today} 00:00:01` },
		);
		const instance = activate({}, { 'node:Zhuanxinyun Poll Trigger': { lastDay: chinaDay(2) } });
		expect((await poll(instance))!.map((item) => item.messageId)).toEqual(['old', 'new']);
		expect(requests().filter((r) => r.operation === 'queryStatusReport').map((r) => r.params.time)).toEqual([chinaDay(2), chinaDay(1), today]);
	});

	it('in a test run (Fetch Test Event) shows what the vendor has and remembers nothing', async () => {
		addReports({ phone: '13800138000', missionNum: 'm1', statTime: `${today} 00:00:01` });
		const instance = activate();
		expect(await poll(instance, 'manual')).toHaveLength(1);
		expect(await poll(instance, 'manual')).toHaveLength(1);
		expect(saved(instance)).toEqual({ 'node:Zhuanxinyun Poll Trigger': {} });
		expect(await poll(instance)).toHaveLength(1);
		expect(await poll(instance)).toBeNull();
	});

	it('fails with the vendor\'s error, the secret not shown, and asks for no replies after a failed report call', async () => {
		const secret = 'not-the-secret-4711';
		addReplies({ phone: '13800138000', content: '收到' });
		const instance = activate({}, undefined, { appSecret: secret });
		const error = await poll(instance).catch((e: Error) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as Error).message).toBe('Zhuanxinyun error 100003: The App Secret is wrong (appSecret错误)');
		expect(JSON.stringify(error)).not.toContain(secret);
		expect(requests().map((r) => r.operation)).toEqual(['queryStatusReport']);
		// The reply is still there for the next poll that works.
		expect((await poll(activate()))!.map((item) => item.content)).toEqual(['收到']);
	});
});
