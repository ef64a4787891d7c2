#!/usr/bin/env python3
"""`crab backtranslate --base-url` against the scripted test server (tests/llm/server.mjs) in its
no-delay mode: throughput (rows/s) at --concurrency 1 and 8 on the first 100 GPT-4 pairs, and one
full run on a CRAB sample record (its decisions table).

The server's answers are fixed and repeat (matched by the kind of request), so the numbers are
the CLI's own cost (requests, parsing, derivation, composition), not a model's.

    python3 scripts/bench/llm_backtranslate.py [--crab target/release/crab] [--rows 100] [--delay MS]

With --delay MS the server pauses between the writes of each streamed answer (4 characters per
write), a stand-in for a model's latency, where --concurrency pays.
"""
import argparse, json, os, subprocess, sys, tempfile, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.path.join(ROOT, '..', 'shared', 'data')


def start_server(delay):
    p = subprocess.Popen(['node', os.path.join(ROOT, 'tests/llm/server.mjs'), '--port', '0', '--delay', str(delay)],
                         stdout=subprocess.PIPE, text=True)
    url = next(w for w in p.stdout.readline().split() if w.startswith('http://'))
    return p, url[:-len('/v1')]


def script(base, answers):
    urllib.request.urlopen(urllib.request.Request(base + '/__control/reset', method='POST'))
    body = json.dumps({'answers': answers}).encode()
    urllib.request.urlopen(urllib.request.Request(base + '/__control/script', body, {'Content-Type': 'application/json'}))


def run(crab, base, dir, extra):
    t = time.perf_counter()
    out = subprocess.run([crab, 'backtranslate', '--input', 'in.jsonl', '--output', 'out.jsonl',
                          '--base-url', base + '/v1', '--model', 'crab-test-small'] + extra,
                         cwd=dir, capture_output=True, text=True)
    return time.perf_counter() - t, out


GENERIC = [
    {'match': 'Rewrite the instruction', 'repeat': True, 'content': 'Refined instruction: answer the question below in a clear, well organised way for a general reader.'},
    {'match': '1. Desired_Writing_Style', 'repeat': True, 'content': json.dumps({
        'Desired_Writing_Style': 'Use a clear, neutral and informative tone throughout the answer.',
        'Semantic_elements': 'Address the question directly and support the main point with details.',
        'Multi-lingual_Constraints': 'Write the whole answer in English.'})},
    {'match': '1. Hierarchical_Instructions', 'repeat': True, 'content': '```json\n' + json.dumps({
        'Hierarchical_Instructions': 'Start with the main answer, then give the supporting details.',
        'Key_Formatting': 'Put the key terms in bold with ** around them.',
        'Paragraphs_Constraints': 'NULL'}) + '\n```'},
    {'match': 'Decide whether', 'repeat': True, 'content': json.dumps({
        'satisfaction': 'YES', 'explanation': '', 'modified_constraint': '', 'constraint_validity': 'YES'})},
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--crab', default=os.path.join(ROOT, 'target/release/crab'))
    ap.add_argument('--rows', type=int, default=100)
    ap.add_argument('--delay', type=int, default=0, help="the server's pause between stream writes, ms (0: no delay)")
    a = ap.parse_args()
    server, base = start_server(a.delay)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            src = os.path.join(SHARED, 'ifeval', 'input_response_data_gpt4_20231107_145030.jsonl')
            rows = [json.loads(l) for l in open(src)][:a.rows]
            outputs = {}
            for c in ['1', '8']:
                d = os.path.join(tmp, 'c' + c)
                os.makedirs(d)
                with open(os.path.join(d, 'in.jsonl'), 'w') as f:
                    for i, r in enumerate(rows):
                        f.write(json.dumps({'key': i + 1, 'instruction': r['prompt'], 'response': r['response']}) + '\n')
                script(base, GENERIC)
                secs, out = run(a.crab, base, d, ['--check', '--concurrency', c])
                log = json.load(urllib.request.urlopen(base + '/__control/log'))
                n = len([e for e in (log if isinstance(log, list) else log['requests']) if e['path'].endswith('/chat/completions')])
                outputs[c] = open(os.path.join(d, 'out.jsonl'), 'rb').read()
                print(f'--concurrency {c}: {len(rows)} rows, {n} requests in {secs:.2f} s = {len(rows) / secs:.1f} rows/s '
                      f'({n / secs:.0f} requests/s); exit {out.returncode}; {out.stdout.strip()}')
            print('same bytes at 1 and 8:', outputs['1'] == outputs['8'])

            # One CRAB sample record: its own stage-6 constraints as the model's answers.
            rec = json.load(open(os.path.join(SHARED, 'crab', 'constraint_back_translation_sample.json')))[0]
            user = next(m['content'] for m in rec['messages'] if m['role'] == 'user')
            assistant = next(m['content'] for m in rec['messages'] if m['role'] == 'assistant')
            aug = rec['Aug_instruction']
            extra = aug['Additional_Instruction']
            local_types = {'Hierarchical_Instructions', 'Special_Output_Format', 'Paragraphs_Constraints',
                           'Specific_Sentence', 'Key_Formatting', 'Item_Listing_Details'}
            glob = {k: v for k, v in extra.items() if k.replace(' ', '_') not in local_types}
            loc = {k: v for k, v in extra.items() if k.replace(' ', '_') in local_types}
            d = os.path.join(tmp, 'crab')
            os.makedirs(d)
            with open(os.path.join(d, 'in.jsonl'), 'w') as f:
                f.write(json.dumps({'key': rec['id'], 'instruction': user, 'response': assistant}) + '\n')
            script(base, [
                {'match': 'Rewrite the instruction', 'content': aug['Refined_Instruction']},
                {'match': '1. Desired_Writing_Style', 'content': json.dumps(glob)},
                {'match': '1. Hierarchical_Instructions', 'content': json.dumps(loc)},
                {'match': 'Decide whether', 'repeat': True, 'content': json.dumps({
                    'satisfaction': 'YES', 'explanation': '', 'modified_constraint': '', 'constraint_validity': 'YES'})},
            ])
            secs, out = run(a.crab, base, d, ['--check', '--concurrency', '8'])
            row = json.loads(open(os.path.join(d, 'out.jsonl')).read())
            llm = row['llm']
            print(f'\nCRAB sample record {rec["id"]} ({rec["source"]}), CRAB overlap {rec.get("overlap")}: {out.stdout.strip()}')
            print(f'refined instruction used: {llm["refined_used"]}; overlap {llm["run"]["overlap"]}; problems {llm["run"]["problems"]}')
            print('\n| call | type | constraint | decision |\n|---|---|---|---|')
            for c in llm['run']['constraints']:
                print(f'| {c["call"]} | {c["type"]} | {c["text"][:90]} | {c["decision"]} |')
            print('\ncombined in the prompt:', sum(1 for c in row['constraints'] if c.get('combined')),
                  'of', len(row['constraints']), f'({sum(1 for c in row["constraints"] if c.get("source") == "llm")} from the model)')
            print('\nprompt:\n' + row['prompt'])
    finally:
        server.kill()


if __name__ == '__main__':
    sys.exit(main())
