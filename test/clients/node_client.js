// spm from node-postgres (npm: pg, installed by `npm ci` from package-lock.json), as
// doc/clients.md shows it.
//
//     cd test/clients && npm ci && PGHOST=... PGPORT=... PGUSER=... PGDATABASE=... node node_client.js
//
// Prints TAP lines (ok N - ... / not ok N - ..., then 1..N); exits 1 on any failure.
'use strict';
const { isDeepStrictEqual, inspect } = require('node:util');
const { Client, types } = require('pg');

const AMOUNT = '1234567890123456.78';
const PLAN_TEXT = 'marginal; from 0 rate 8%; from 100000 rate 12.5%';
const PLAN_JSON = JSON.stringify({ tiers: [{ from: 0, rate: 0.08 }, { from: 100000, rate: 0.125 }] });

let count = 0;
let failed = 0;

// One test: got and expected strictly equal ('1.0' is not '1.00', 1.5 is not '1.5').
function check(name, got, expected) {
  count += 1;
  if (isDeepStrictEqual(got, expected)) {
    console.log(`ok ${count} - ${name}`);
  } else {
    failed += 1;
    console.log(`not ok ${count} - ${name}`);
    console.log(`#   got:      ${inspect(got)}`);
    console.log(`#   expected: ${inspect(expected)}`);
  }
}

async function one(client, text, values = []) {
  const result = await client.query(text, values);
  return Object.values(result.rows[0])[0];
}

async function main(client) {
  await client.query('CREATE EXTENSION IF NOT EXISTS spm');

  // Amounts: strings in, strings out (numeric, OID 1700, arrives as a string), every digit kept.
  const commission = await one(client, 'SELECT spm.commission($1, $2)', [AMOUNT, PLAN_TEXT]);
  check('commission of a string amount is an exact string', commission, '154320986260932.09750');

  // A plan as JSON text: the same plan as its clause text.
  check('a plan bound as JSON text', await one(client, 'SELECT spm.commission($1, $2)', [AMOUNT, PLAN_JSON]),
    commission);
  await client.query('CREATE TEMP TABLE plans (name text PRIMARY KEY, plan spm.tier_schedule)');
  await client.query('INSERT INTO plans VALUES ($1, $2)', ['json', PLAN_JSON]);
  check('a stored plan arrives as its canonical text',
    await one(client, "SELECT plan FROM plans WHERE name = 'json'"), PLAN_TEXT);

  // numeric[] (OID 1231): pg's default parser makes JavaScript numbers, which lose the cents.
  const split = 'SELECT spm.split($1, ARRAY[0.5, 0.5])';
  check('without the fix, numeric[] arrives as floats', await one(client, split, [AMOUNT]),
    [617283945061728.4, 617283945061728.4]);
  // The fix: read numeric[] as text[] (OID 1009), and keep numeric a string.
  types.setTypeParser(1231, types.getTypeParser(1009));
  types.setTypeParser(1700, (text) => text);
  check('with the fix, spm.split returns exact strings', await one(client, split, [AMOUNT]),
    ['617283945061728.39', '617283945061728.39']);
  check('spm.allocate with string weights', await one(client, 'SELECT spm.allocate($1, $2)',
    ['1234567890123456.79', ['1', '1']]), ['617283945061728.40', '617283945061728.39']);
  check('or cast to text[] in SQL', await one(client, 'SELECT spm.split($1, ARRAY[0.5, 0.5])::text[]', [AMOUNT]),
    ['617283945061728.39', '617283945061728.39']);

  // A JavaScript number is sent as its shortest decimal text: no error, but already rounded.
  check('a number amount arrives rounded', await one(client, split, [1234567890123456.78]),
    ['617283945061728.40', '617283945061728.40']);
  // Only a parameter typed as float finds no function.
  let message = null;
  try {
    await client.query('SELECT spm.commission($1::float8, $2)', [1234567890123456.78, PLAN_TEXT]);
  } catch (error) {
    message = `${error.code} ${error.message}`;
  }
  check('a float8 amount finds no function', message,
    '42883 function spm.commission(double precision, unknown) does not exist');

  // Composites arrive as row text; for fields, call the function in FROM.
  check('draw_period: row text', await one(client, 'SELECT spm.nonrecoverable_draw($1, $2)', ['1200.50', '2000']),
    '(2000.00,799.50,0.00,0.00)');
  const period = (await client.query('SELECT * FROM spm.nonrecoverable_draw($1, $2)', ['1200.50', '2000'])).rows[0];
  check('draw_period from FROM: string fields', period,
    { payout: '2000.00', advance: '799.50', recovered: '0.00', balance: '0.00' });
  const report = (await client.query(
    'SELECT (spm.balance(v, 0.15)).* FROM unnest($1::numeric[]) v', [['100.5', '120', '90']])).rows[0];
  check('balance_report expanded with (...).*', [report.territories, report.total, report.score],
    ['3', '310.5', '84.06']);
  const stages = (await client.query('SELECT f.stage, f.cumulative FROM unnest('
    + '(SELECT spm.funnel(s, 3) FROM unnest(ARRAY[1, 2, 3, 3]) s)) f')).rows;
  check('funnel_stage[] unnested into rows', stages, [
    { stage: 1, cumulative: '1.00000000000000000000' },
    { stage: 2, cumulative: '0.75000000000000000000' },
    { stage: 3, cumulative: '0.50000000000000000000' }]);

  // deal_summary is a base type: its canonical text, which reads back the same.
  const summary = await one(client, 'SELECT spm.deal_summary(won, amount, 30) '
    + 'FROM (VALUES (true, $1::numeric), (false, 10.01), (NULL, 5)) d(won, amount)', [AMOUNT]);
  check('deal_summary arrives as its text', summary, '(won=1,lost=1,open=1,cycle_deals=2,cycle_days=60,'
    + 'won_amount=1234567890123456.78,lost_amount=10.01,open_amount=5)');
  check('and goes back as a parameter', await one(client, 'SELECT spm.won_amount($1)', [summary]), AMOUNT);

  // So are the other summaries: accuracy, cycle times, stage probabilities, the waterfall and the range of the forecast.
  const accuracy = await one(client, 'SELECT spm.accuracy_summary(f, a) FROM (VALUES (110, 100), (90, 100)) v(f, a)');
  check('accuracy_summary arrives as its text', accuracy,
    '(periods=2,zero_actuals=0,forecast=200,actual=200,abs_error=20,abs_actual=200,ape=0.20000000000000000000)');
  check('and goes back as a parameter: spm.wape', await one(client, 'SELECT spm.wape($1)', [accuracy]),
    '0.10000000000000000000');
  const cycles = await one(client, 'SELECT spm.cycle_summary(d, c) '
    + 'FROM (VALUES (14, true), (30, true), (28, false), (14, true)) v(d, c)');
  check('cycle_summary arrives as its text', cycles, '{14:2/0,28:0/1,30:1/0}');
  check('and goes back as a parameter: spm.survival', await one(client, 'SELECT spm.survival($1, 14)', [cycles]),
    '0.50000000000000000000');
  const stageCounts = await one(client, 'SELECT spm.stage_summary(s, w) '
    + 'FROM (VALUES (1, false), (2, false), (3, true), (4, true), (4, true)) v(s, w)');
  check('stage_summary arrives as its text', stageCounts,
    '(won_1=0,lost_1=1,won_2=0,lost_2=1,won_3=1,lost_3=0,won_4=2,lost_4=0,won_5=0,lost_5=0,won_6=0,lost_6=0,'
    + 'won_7=0,lost_7=0,won_8=0,lost_8=0,won_9=0,lost_9=0,won_10=0,lost_10=0,won_11=0,lost_11=0,won_12=0,lost_12=0,'
    + 'won_13=0,lost_13=0,won_14=0,lost_14=0,won_15=0,lost_15=0,won_16=0,lost_16=0,won_17=0,lost_17=0,'
    + 'won_18=0,lost_18=0,won_19=0,lost_19=0,won_20=0,lost_20=0)');
  check('and goes back as a parameter: spm.stage_win_probability',
    await one(client, 'SELECT spm.stage_win_probability($1, 2)', [stageCounts]), '0.75000000000000000000');
  const waterfall = await one(client, "SELECT spm.pipeline_waterfall('2024-07-01', '2024-10-01', os, oa, oc, ns, na, nc) "
    + "FROM (VALUES ('open', 1000.00, date '2024-08-15', 'won', $1::numeric, date '2024-07-25'), "
    + "(NULL, NULL, NULL, 'open', 300.00, date '2024-08-30')) v(os, oa, oc, ns, na, nc)", [AMOUNT]);
  check('pipeline_waterfall arrives as its text', waterfall,
    '(rows=2,period_start=20240701,period_end=20241001,opening=1,new=1,increased=1,decreased=0,'
    + 'pulled_in=0,pushed_out=0,won=1,lost=0,closing=1,opening_amount=1000.00,new_amount=300.00,'
    + 'increased_amount=1234567890122456.78,decreased_amount=0,pulled_in_amount=0,pushed_out_amount=0,'
    + 'won_amount=1234567890123456.78,lost_amount=0,closing_amount=300.00)');
  check('and goes back as a parameter: spm.step_amount',
    await one(client, "SELECT spm.step_amount($1, 'won')", [waterfall]), AMOUNT);
  const bookings = await one(client,
    'SELECT spm.forecast_range(amount, p) FROM (VALUES (100, 0.5), (300, 0.125)) v(amount, p)');
  check('bookings_range arrives as its text', bookings,
    '(resolution=1,deals=2,mean=87.5,variance=12343.75,exact={100@0.5,300@0.125})');
  check('and goes back as a parameter: spm.expected_bookings',
    await one(client, 'SELECT spm.expected_bookings($1)', [bookings]), '87.5');
  await client.query('CREATE TEMP TABLE splits (deal_id int, share numeric)');
  await client.query('INSERT INTO splits VALUES (1, 0.6), (1, 0.3), (2, 1)');
  const problems = await client.query(
    'SELECT check_name, code, key, message FROM spm.check_split_shares($1::regclass)', ['splits']);
  check('input problems arrive as rows of text', JSON.stringify(problems.rows),
    JSON.stringify([{ check_name: 'split_shares', code: 'shares_not_one', key: '1',
      message: 'the shares of deal 1 sum to 0.9, not 1, in splits: correct them so that they sum to 1 (add 0.1)' }]));
  check('a roster sent as array text: capacity_by_month gives the exact string',
    await one(client, "SELECT capacity FROM spm.capacity_by_month($1::spm.roster_entry[], daterange('2027-01-01', '2027-02-01'))",
      ['{"(ana,2024-05-01,,1234567890123456.78,,1)"}']), AMOUNT);
}

(async () => {
  const client = new Client();          // PGHOST, PGPORT, PGUSER, PGDATABASE
  try {
    await client.connect();
    await main(client);
  } catch (error) {
    count += 1;
    failed += 1;
    console.log(`not ok ${count} - the program stopped`);
    console.log(`# ${error.stack}`);
  } finally {
    await client.end().catch(() => {});
  }
  console.log(`1..${count}`);
  process.exitCode = failed === 0 ? 0 : 1;
})();
