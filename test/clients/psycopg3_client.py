#!/usr/bin/env python3
"""spm from psycopg 3 (Debian: python3-psycopg), as doc/clients.md shows it.

    PGHOST=... PGPORT=... PGUSER=... PGDATABASE=... python3 test/clients/psycopg3_client.py

Prints TAP lines (ok N - ... / not ok N - ..., then 1..N); exits 1 on any failure.
"""
from decimal import Decimal

import psycopg
from psycopg.types.composite import CompositeInfo, register_composite

from tap import check, run

AMOUNT = Decimal('1234567890123456.78')
PLAN_TEXT = 'marginal; from 0 rate 8%; from 100000 rate 12.5%'
PLAN_JSON = '{"tiers": [{"from": 0, "rate": 0.08}, {"from": 100000, "rate": 0.125}]}'


def main():
    with psycopg.connect(autocommit=True) as conn:     # PGHOST, PGPORT, PGUSER, PGDATABASE
        conn.execute('CREATE EXTENSION IF NOT EXISTS spm')

        # Amounts: Decimal in, Decimal out, every digit kept.
        commission = conn.execute('SELECT spm.commission(%s, %s)', [AMOUNT, PLAN_TEXT]).fetchone()[0]
        check('commission of a Decimal amount is an exact Decimal', commission, Decimal('154320986260932.09750'))
        check('a str amount works as well', conn.execute(
            'SELECT spm.commission(%s, %s)', ['1234567890123456.78', PLAN_TEXT]).fetchone()[0], commission)

        # A plan as JSON text: the same plan as its clause text.
        check('a plan bound as JSON text', conn.execute(
            'SELECT spm.commission(%s, %s)', [AMOUNT, PLAN_JSON]).fetchone()[0], commission)
        conn.execute('CREATE TEMP TABLE plans (name text PRIMARY KEY, plan spm.tier_schedule)')
        conn.execute('INSERT INTO plans VALUES (%s, %s), (%s, %s)', ['text', PLAN_TEXT, 'json', PLAN_JSON])
        check('a stored plan arrives as its canonical text', conn.execute(
            "SELECT plan FROM plans WHERE name = 'json'").fetchone()[0], PLAN_TEXT)

        # numeric[] arrives as a list of Decimal.
        parts = conn.execute('SELECT spm.split(%s, ARRAY[0.5, 0.5])', [AMOUNT]).fetchone()[0]
        check('spm.split returns exact Decimals', parts, [Decimal('617283945061728.39')] * 2)
        check('the parts sum to the amount', sum(parts), AMOUNT)
        check('spm.allocate with a list of Decimal weights', conn.execute(
            'SELECT spm.allocate(%s, %s)', [AMOUNT + Decimal('0.01'), [Decimal(1), Decimal(1)]]).fetchone()[0],
            [Decimal('617283945061728.40'), Decimal('617283945061728.39')])

        # A float finds no function: money is never a float.
        try:
            conn.execute('SELECT spm.commission(%s, %s)', [1234567890123456.78, PLAN_TEXT])
            failed = None
        except psycopg.errors.UndefinedFunction as error:
            failed = str(error).splitlines()[0]
        check('a float amount finds no function', failed,
              'function spm.commission(double precision, unknown) does not exist')

        # Composites arrive as row text until registered.
        draw = 'SELECT spm.nonrecoverable_draw(%s, %s)'
        check('draw_period unregistered: row text', conn.execute(
            draw, [Decimal('1200.50'), Decimal('2000')]).fetchone()[0], '(2000.00,799.50,0.00,0.00)')
        for name in ('spm.draw_period', 'spm.balance_report', 'spm.funnel_stage'):
            register_composite(CompositeInfo.fetch(conn, name), conn)
        period = conn.execute(draw, [Decimal('1200.50'), Decimal('2000')]).fetchone()[0]
        check('draw_period registered: named Decimal fields', (period.payout, period.advance, period.balance),
              (Decimal('2000.00'), Decimal('799.50'), Decimal('0.00')))
        report = conn.execute('SELECT spm.balance(v, 0.15) FROM unnest(%s::numeric[]) v',
                              [[Decimal('100.5'), Decimal('120'), Decimal('90')]]).fetchone()[0]
        check('balance_report registered', (report.territories, report.total, report.score),
              (3, Decimal('310.5'), Decimal('84.06')))
        stages = conn.execute('SELECT spm.funnel(s, 3) FROM unnest(ARRAY[1, 2, 3, 3]) s').fetchone()[0]
        check('funnel_stage[] registered: a list of rows', [(s.stage, s.reached, s.cumulative) for s in stages],
              [(1, 4, Decimal('1.00000000000000000000')), (2, 3, Decimal('0.75000000000000000000')),
               (3, 2, Decimal('0.50000000000000000000'))])

        # deal_summary is a base type: its canonical text, which reads back the same.
        summary = conn.execute(
            'SELECT spm.deal_summary(won, amount, 30) FROM (VALUES (true, %s), (false, 10.01), (NULL, 5)) d(won, amount)',
            [AMOUNT]).fetchone()[0]
        check('deal_summary arrives as its text', summary,
              '(won=1,lost=1,open=1,cycle_deals=2,cycle_days=60,'
              'won_amount=1234567890123456.78,lost_amount=10.01,open_amount=5)')
        check('and goes back as a parameter', conn.execute(
            'SELECT spm.won_amount(%s)', [summary]).fetchone()[0], AMOUNT)

        # So are the other summaries: accuracy, cycle times, stage probabilities, the waterfall and the range of the forecast.
        accuracy = conn.execute(
            'SELECT spm.accuracy_summary(f, a) FROM (VALUES (110, 100), (90, 100)) v(f, a)').fetchone()[0]
        check('accuracy_summary arrives as its text', accuracy,
              '(periods=2,zero_actuals=0,forecast=200,actual=200,abs_error=20,abs_actual=200,ape=0.20000000000000000000)')
        check('and goes back as a parameter: spm.wape', conn.execute(
            'SELECT spm.wape(%s)', [accuracy]).fetchone()[0], Decimal('0.10000000000000000000'))
        cycles = conn.execute('SELECT spm.cycle_summary(d, c) '
                              'FROM (VALUES (14, true), (30, true), (28, false), (14, true)) v(d, c)').fetchone()[0]
        check('cycle_summary arrives as its text', cycles, '{14:2/0,28:0/1,30:1/0}')
        check('and goes back as a parameter: spm.survival', conn.execute(
            'SELECT spm.survival(%s, 14)', [cycles]).fetchone()[0], Decimal('0.50000000000000000000'))
        stage_counts = conn.execute('SELECT spm.stage_summary(s, w) FROM (VALUES (1, false), (2, false), '
                                    '(3, true), (4, true), (4, true)) v(s, w)').fetchone()[0]
        check('stage_summary arrives as its text', stage_counts,
              '(won_1=0,lost_1=1,won_2=0,lost_2=1,won_3=1,lost_3=0,won_4=2,lost_4=0,won_5=0,lost_5=0,won_6=0,lost_6=0,'
              'won_7=0,lost_7=0,won_8=0,lost_8=0,won_9=0,lost_9=0,won_10=0,lost_10=0,won_11=0,lost_11=0,won_12=0,lost_12=0,'
              'won_13=0,lost_13=0,won_14=0,lost_14=0,won_15=0,lost_15=0,won_16=0,lost_16=0,won_17=0,lost_17=0,'
              'won_18=0,lost_18=0,won_19=0,lost_19=0,won_20=0,lost_20=0)')
        check('and goes back as a parameter: spm.stage_win_probability', conn.execute(
            'SELECT spm.stage_win_probability(%s, 2)', [stage_counts]).fetchone()[0], Decimal('0.75000000000000000000'))
        waterfall = conn.execute(
            "SELECT spm.pipeline_waterfall('2024-07-01', '2024-10-01', os, oa, oc, ns, na, nc) FROM (VALUES "
            "('open', 1000.00, date '2024-08-15', 'won', %s, date '2024-07-25'), "
            "(NULL, NULL, NULL, 'open', 300.00, date '2024-08-30')) v(os, oa, oc, ns, na, nc)", [AMOUNT]).fetchone()[0]
        check('pipeline_waterfall arrives as its text', waterfall,
              '(rows=2,period_start=20240701,period_end=20241001,opening=1,new=1,increased=1,decreased=0,'
              'pulled_in=0,pushed_out=0,won=1,lost=0,closing=1,opening_amount=1000.00,new_amount=300.00,'
              'increased_amount=1234567890122456.78,decreased_amount=0,pulled_in_amount=0,pushed_out_amount=0,'
              'won_amount=1234567890123456.78,lost_amount=0,closing_amount=300.00)')
        check('and goes back as a parameter: spm.step_amount', conn.execute(
            "SELECT spm.step_amount(%s, 'won')", [waterfall]).fetchone()[0], AMOUNT)
        bookings = conn.execute(
            'SELECT spm.forecast_range(amount, p) FROM (VALUES (100, 0.5), (300, 0.125)) v(amount, p)').fetchone()[0]
        check('bookings_range arrives as its text', bookings,
              '(resolution=1,deals=2,mean=87.5,variance=12343.75,exact={100@0.5,300@0.125})')
        check('and goes back as a parameter: spm.expected_bookings', conn.execute(
            'SELECT spm.expected_bookings(%s)', [bookings]).fetchone()[0], Decimal('87.5'))
        check('a roster sent as array text: capacity_by_month gives an exact Decimal', conn.execute(
            "SELECT capacity FROM spm.capacity_by_month(%s::spm.roster_entry[], daterange('2027-01-01', '2027-02-01'))",
            ['{"(ana,2024-05-01,,1234567890123456.78,,1)"}']).fetchone()[0], AMOUNT)

        # An input check returns spm.input_problem rows: called in FROM, four text columns.
        conn.execute('CREATE TEMP TABLE splits (deal_id int, share numeric)')
        conn.execute('INSERT INTO splits VALUES (1, 0.6), (1, 0.3), (2, 1)')
        check('input problems arrive as rows of text', conn.execute(
            'SELECT check_name, code, key, message FROM spm.check_split_shares(%s::regclass)', ['splits']).fetchall(),
            [('split_shares', 'shares_not_one', '1',
              'the shares of deal 1 sum to 0.9, not 1, in splits: correct them so that they sum to 1 (add 0.1)')])


run(main)
