'use strict';
// A Kafka worker for Herald's `kafka` kind: tags a news item with topics by keywords, and names the event type
// when its `event-type` dependency is there.
//
//   node sdk/node/examples/topics-worker.js --brokers 127.0.0.1:9092 --request-topic herald.requests.topics --group topics
//
//   - name: topics
//     version: 1.0.0
//     kind: kafka
//     requires: ["event-type@^1?"]
//     options: { requestTopic: herald.requests.topics }

const path = require('path');
const { runWorker } = require(path.join(__dirname, '..', 'herald-worker.js'));

const TOPICS = {
  ai: ['ai', 'machine learning', 'model', 'robot'],
  energy: ['solar', 'battery', 'grid', 'energy'],
  health: ['clinic', 'drug', 'health', 'patients'],
  finance: ['bank', 'payments', 'lending', 'fintech'],
};

function argument(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : fallback;
}

async function main() {
  const delayMs = Number(argument('delay-ms', '0'));
  const worker = await runWorker({
    brokers: argument('brokers', '127.0.0.1:9092').split(','),
    requestTopic: argument('request-topic', 'herald.requests.topics'),
    groupId: argument('group', 'herald-topics-worker'),
    concurrency: Number(argument('concurrency', '1')),
    annotate: async (document, dependencies) => {
      if (delayMs > 0) await new Promise(resolve => setTimeout(resolve, delayMs));
      const text = `${document.title || ''} ${document.text || ''}`.toLowerCase();
      const topics = Object.keys(TOPICS).filter(topic => TOPICS[topic].some(word => new RegExp(`\\b${word}\\b`).test(text)));
      const event = dependencies['event-type'];
      return { value: { topics, event: event ? event.value.label : null, worker: process.pid } };
    },
  });
  console.log(`worker ready (pid ${process.pid})`);
  const stop = async () => { await worker.stop(); process.exit(0); };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch(e => { console.error(e); process.exit(1); });
