// spm from JDBC (Debian: libpostgresql-jdbc-java, default-jdk-headless), as doc/clients.md
// shows it. One source file, run without a build:
//
//     PGHOST=127.0.0.1 PGPORT=... PGUSER=... PGDATABASE=... \
//         java -cp /usr/share/java/postgresql.jar test/clients/Clients.java
//
// pgjdbc connects over TCP (PGHOST a host name or address, not a socket directory).
// Prints TAP lines (ok N - ... / not ok N - ..., then 1..N); exits 1 on any failure.

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Properties;

import org.postgresql.util.PGobject;

public class Clients {
    static final BigDecimal AMOUNT = new BigDecimal("1234567890123456.78");
    static final String PLAN_TEXT = "marginal; from 0 rate 8%; from 100000 rate 12.5%";
    static final String PLAN_JSON = "{\"tiers\": [{\"from\": 0, \"rate\": 0.08}, {\"from\": 100000, \"rate\": 0.125}]}";

    static int count = 0, failed = 0;

    /** One test: equal values, BigDecimals digit for digit (equals, not compareTo: 1.0 is not 1.00). */
    static void check(String name, Object got, Object expected) {
        count++;
        if (Objects.deepEquals(got, expected)) {
            System.out.println("ok " + count + " - " + name);
        } else {
            failed++;
            System.out.println("not ok " + count + " - " + name);
            System.out.println("#   got:      " + show(got));
            System.out.println("#   expected: " + show(expected));
        }
    }

    static String show(Object value) {
        return value instanceof Object[] ? Arrays.deepToString((Object[]) value) : String.valueOf(value);
    }

    static String url(String options) {
        String host = System.getenv().getOrDefault("PGHOST", "localhost");
        String port = System.getenv().getOrDefault("PGPORT", "5432");
        String database = System.getenv().getOrDefault("PGDATABASE", "postgres");
        return "jdbc:postgresql://" + host + ":" + port + "/" + database + options;
    }

    static Connection connect(String options) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", System.getenv().getOrDefault("PGUSER", "postgres"));
        return DriverManager.getConnection(url(options), props);
    }

    /** The result's only row. */
    static ResultSet row(PreparedStatement statement) throws SQLException {
        ResultSet rs = statement.executeQuery();
        rs.next();
        return rs;
    }

    /** The message of the error a statement raises, its first line; null when none. */
    static String error(PreparedStatement statement) {
        try {
            statement.executeQuery();
            return null;
        } catch (SQLException e) {
            return e.getSQLState() + " " + e.getMessage().lines().findFirst().orElse("");
        }
    }

    static void run(Connection conn, Connection unspecified) throws SQLException {
        conn.createStatement().execute("CREATE EXTENSION IF NOT EXISTS spm");

        // Amounts: BigDecimal in, BigDecimal out, every digit kept.
        PreparedStatement commission = conn.prepareStatement("SELECT spm.commission(?, ?::spm.tier_schedule)");
        commission.setBigDecimal(1, AMOUNT);
        commission.setString(2, PLAN_TEXT);
        check("commission of a BigDecimal is an exact BigDecimal", row(commission).getBigDecimal(1),
              new BigDecimal("154320986260932.09750"));

        // A plan as JSON text: the same plan as its clause text.
        commission.setString(2, PLAN_JSON);
        check("a plan bound as JSON text with ?::spm.tier_schedule", row(commission).getBigDecimal(1),
              new BigDecimal("154320986260932.09750"));

        conn.createStatement().execute("CREATE TEMP TABLE plans (name text PRIMARY KEY, plan spm.tier_schedule)");
        PreparedStatement insert = conn.prepareStatement("INSERT INTO plans VALUES (?, ?::spm.tier_schedule)");
        insert.setString(1, "json");
        insert.setString(2, PLAN_JSON);
        insert.executeUpdate();
        check("a stored plan arrives as its canonical text",
              row(conn.prepareStatement("SELECT plan FROM plans WHERE name = 'json'")).getString(1), PLAN_TEXT);

        // setString binds varchar, which no spm function takes ...
        PreparedStatement plain = conn.prepareStatement("SELECT spm.commission(?, ?)");
        plain.setBigDecimal(1, AMOUNT);
        plain.setString(2, PLAN_TEXT);
        check("setString for a plan: no such function", error(plain),
              "42883 ERROR: function spm.commission(numeric, character varying) does not exist");
        // ... unless the connection says stringtype=unspecified.
        PreparedStatement untyped = unspecified.prepareStatement("SELECT spm.commission(?, ?)");
        untyped.setBigDecimal(1, AMOUNT);
        untyped.setString(2, PLAN_TEXT);
        check("setString with stringtype=unspecified: plan text", row(untyped).getBigDecimal(1),
              new BigDecimal("154320986260932.09750"));
        untyped.setString(2, PLAN_JSON);
        check("setString with stringtype=unspecified: plan JSON", row(untyped).getBigDecimal(1),
              new BigDecimal("154320986260932.09750"));

        // A double finds no function: money is never a float.
        PreparedStatement fromDouble = conn.prepareStatement("SELECT spm.commission(?, ?::spm.tier_schedule)");
        fromDouble.setDouble(1, 1234567890123456.78);
        fromDouble.setString(2, PLAN_TEXT);
        check("setDouble: no such function", error(fromDouble),
              "42883 ERROR: function spm.commission(double precision, spm.tier_schedule) does not exist");

        // numeric[] arrives as BigDecimal[].
        PreparedStatement split = conn.prepareStatement("SELECT spm.split(?, ARRAY[0.5, 0.5])");
        split.setBigDecimal(1, AMOUNT);
        BigDecimal[] parts = (BigDecimal[]) row(split).getArray(1).getArray();
        check("spm.split returns exact BigDecimals", parts,
              new BigDecimal[] {new BigDecimal("617283945061728.39"), new BigDecimal("617283945061728.39")});
        check("the parts sum to the amount", parts[0].add(parts[1]), AMOUNT);
        PreparedStatement allocate = conn.prepareStatement("SELECT spm.allocate(?, ?)");
        allocate.setBigDecimal(1, new BigDecimal("1234567890123456.79"));
        allocate.setArray(2, conn.createArrayOf("numeric", new BigDecimal[] {BigDecimal.ONE, BigDecimal.ONE}));
        check("spm.allocate with a BigDecimal[] of weights", row(allocate).getArray(1).getArray(),
              new BigDecimal[] {new BigDecimal("617283945061728.40"), new BigDecimal("617283945061728.39")});

        // Composites arrive as a PGobject holding the row text; for fields, call the function
        // in FROM (or expand an aggregate's composite with (...).*).
        PreparedStatement draw = conn.prepareStatement("SELECT spm.nonrecoverable_draw(?, ?)");
        draw.setBigDecimal(1, new BigDecimal("1200.50"));
        draw.setBigDecimal(2, new BigDecimal("2000"));
        PGobject period = (PGobject) row(draw).getObject(1);
        check("draw_period: a PGobject of row text", List.of(period.getType(), period.getValue()),
              List.of("\"spm\".\"draw_period\"", "(2000.00,799.50,0.00,0.00)"));
        PreparedStatement fields = conn.prepareStatement("SELECT * FROM spm.nonrecoverable_draw(?, ?)");
        fields.setBigDecimal(1, new BigDecimal("1200.50"));
        fields.setBigDecimal(2, new BigDecimal("2000"));
        ResultSet rs = row(fields);
        check("draw_period from FROM: BigDecimal columns",
              List.of(rs.getBigDecimal("payout"), rs.getBigDecimal("advance"), rs.getBigDecimal("balance")),
              List.of(new BigDecimal("2000.00"), new BigDecimal("799.50"), new BigDecimal("0.00")));
        rs = row(conn.prepareStatement(
            "SELECT (spm.balance(v, 0.15)).* FROM unnest(ARRAY[100.5, 120, 90]) v"));
        check("balance_report expanded with (...).*",
              List.of(rs.getLong("territories"), rs.getBigDecimal("total"), rs.getBigDecimal("score")),
              List.of(3L, new BigDecimal("310.5"), new BigDecimal("84.06")));
        rs = conn.prepareStatement("SELECT f.stage, f.cumulative FROM unnest("
            + "(SELECT spm.funnel(s, 3) FROM unnest(ARRAY[1, 2, 3, 3]) s)) f").executeQuery();
        StringBuilder stages = new StringBuilder();
        while (rs.next()) {
            stages.append(rs.getInt("stage")).append(':').append(rs.getBigDecimal("cumulative")).append(' ');
        }
        check("funnel_stage[] unnested into rows", stages.toString(),
              "1:1.00000000000000000000 2:0.75000000000000000000 3:0.50000000000000000000 ");

        // deal_summary is a base type: a PGobject of its canonical text, which reads back the same.
        PreparedStatement summarize = conn.prepareStatement("SELECT spm.deal_summary(won, amount, 30) "
            + "FROM (VALUES (true, ?), (false, 10.01), (NULL, 5)) d(won, amount)");
        summarize.setBigDecimal(1, AMOUNT);
        PGobject summary = (PGobject) row(summarize).getObject(1);
        check("deal_summary: a PGobject of its text", summary.getValue(),
              "(won=1,lost=1,open=1,cycle_deals=2,cycle_days=60,"
              + "won_amount=1234567890123456.78,lost_amount=10.01,open_amount=5)");
        PreparedStatement wonAmount = conn.prepareStatement("SELECT spm.won_amount(?)");
        wonAmount.setObject(1, summary);            // typed spm.deal_summary
        check("and goes back as a parameter", row(wonAmount).getBigDecimal(1), AMOUNT);
        PGobject stored = new PGobject();           // a summary kept as text, typed to go back
        stored.setType("spm.deal_summary");
        stored.setValue(summary.getValue());
        wonAmount.setObject(1, stored);
        check("a summary kept as text goes back as a PGobject", row(wonAmount).getBigDecimal(1), AMOUNT);

        // So are the other summaries: accuracy, cycle times, stage probabilities, the waterfall and the range of the forecast.
        PGobject accuracy = (PGobject) row(conn.prepareStatement(
            "SELECT spm.accuracy_summary(f, a) FROM (VALUES (110, 100), (90, 100)) v(f, a)")).getObject(1);
        check("accuracy_summary: a PGobject of its text", accuracy.getValue(),
              "(periods=2,zero_actuals=0,forecast=200,actual=200,abs_error=20,abs_actual=200,ape=0.20000000000000000000)");
        PreparedStatement wape = conn.prepareStatement("SELECT spm.wape(?)");
        wape.setObject(1, accuracy);
        check("and goes back as a parameter: spm.wape", row(wape).getBigDecimal(1),
              new BigDecimal("0.10000000000000000000"));
        PGobject cycles = (PGobject) row(conn.prepareStatement("SELECT spm.cycle_summary(d, c) "
            + "FROM (VALUES (14, true), (30, true), (28, false), (14, true)) v(d, c)")).getObject(1);
        check("cycle_summary: a PGobject of its text", cycles.getValue(), "{14:2/0,28:0/1,30:1/0}");
        PreparedStatement survival = conn.prepareStatement("SELECT spm.survival(?::spm.cycle_summary, 14)");
        survival.setString(1, cycles.getValue());   // its text, cast in the SQL
        check("and goes back as a parameter: spm.survival", row(survival).getBigDecimal(1),
              new BigDecimal("0.50000000000000000000"));
        PGobject stageCounts = (PGobject) row(conn.prepareStatement("SELECT spm.stage_summary(s, w) "
            + "FROM (VALUES (1, false), (2, false), (3, true), (4, true), (4, true)) v(s, w)")).getObject(1);
        check("stage_summary: a PGobject of its text", stageCounts.getValue(),
              "(won_1=0,lost_1=1,won_2=0,lost_2=1,won_3=1,lost_3=0,won_4=2,lost_4=0,won_5=0,lost_5=0,won_6=0,lost_6=0,"
              + "won_7=0,lost_7=0,won_8=0,lost_8=0,won_9=0,lost_9=0,won_10=0,lost_10=0,won_11=0,lost_11=0,won_12=0,lost_12=0,"
              + "won_13=0,lost_13=0,won_14=0,lost_14=0,won_15=0,lost_15=0,won_16=0,lost_16=0,won_17=0,lost_17=0,"
              + "won_18=0,lost_18=0,won_19=0,lost_19=0,won_20=0,lost_20=0)");
        PreparedStatement winProbability = conn.prepareStatement("SELECT spm.stage_win_probability(?, 2)");
        winProbability.setObject(1, stageCounts);
        check("and goes back as a parameter: spm.stage_win_probability", row(winProbability).getBigDecimal(1),
              new BigDecimal("0.75000000000000000000"));
        PreparedStatement waterfallOf = conn.prepareStatement(
            "SELECT spm.pipeline_waterfall('2024-07-01', '2024-10-01', os, oa, oc, ns, na, nc) FROM (VALUES "
            + "('open', 1000.00, date '2024-08-15', 'won', ?, date '2024-07-25'), "
            + "(NULL, NULL, NULL, 'open', 300.00, date '2024-08-30')) v(os, oa, oc, ns, na, nc)");
        waterfallOf.setBigDecimal(1, AMOUNT);
        PGobject waterfall = (PGobject) row(waterfallOf).getObject(1);
        check("pipeline_waterfall: a PGobject of its text", waterfall.getValue(),
              "(rows=2,period_start=20240701,period_end=20241001,opening=1,new=1,increased=1,decreased=0,"
              + "pulled_in=0,pushed_out=0,won=1,lost=0,closing=1,opening_amount=1000.00,new_amount=300.00,"
              + "increased_amount=1234567890122456.78,decreased_amount=0,pulled_in_amount=0,pushed_out_amount=0,"
              + "won_amount=1234567890123456.78,lost_amount=0,closing_amount=300.00)");
        PreparedStatement won = conn.prepareStatement("SELECT spm.step_amount(?, 'won')");
        won.setObject(1, waterfall);
        check("and goes back as a parameter: spm.step_amount", row(won).getBigDecimal(1), AMOUNT);
        PGobject bookings = (PGobject) row(conn.prepareStatement(
            "SELECT spm.forecast_range(amount, p) FROM (VALUES (100, 0.5), (300, 0.125)) v(amount, p)")).getObject(1);
        check("bookings_range: a PGobject of its text", bookings.getValue(),
              "(resolution=1,deals=2,mean=87.5,variance=12343.75,exact={100@0.5,300@0.125})");
        PreparedStatement expected = conn.prepareStatement("SELECT spm.expected_bookings(?::spm.bookings_range)");
        expected.setString(1, bookings.getValue());
        check("and goes back as a parameter: spm.expected_bookings", row(expected).getBigDecimal(1),
              new BigDecimal("87.5"));
        try (Statement setup = conn.createStatement()) {
            setup.execute("CREATE TEMP TABLE splits (deal_id int, share numeric)");
            setup.execute("INSERT INTO splits VALUES (1, 0.6), (1, 0.3), (2, 1)");
        }
        PreparedStatement problems = conn.prepareStatement(
            "SELECT check_name, code, key, message FROM spm.check_split_shares(?::regclass)");
        problems.setString(1, "splits");
        ResultSet problem = row(problems);
        check("input problems arrive as rows of text", problem.getString(1) + "|" + problem.getString(2) + "|"
              + problem.getString(3) + "|" + problem.getString(4),
              "split_shares|shares_not_one|1|the shares of deal 1 sum to 0.9, not 1, in splits: correct them so that they sum to 1 (add 0.1)");
        PreparedStatement capacity = conn.prepareStatement(
            "SELECT capacity FROM spm.capacity_by_month(?::spm.roster_entry[], daterange('2027-01-01', '2027-02-01'))");
        capacity.setString(1, "{\"(ana,2024-05-01,,1234567890123456.78,,1)\"}");
        check("a roster sent as array text: capacity_by_month gives an exact BigDecimal", row(capacity).getBigDecimal(1), AMOUNT);
    }

    public static void main(String[] args) {
        try (Connection conn = connect("");
             Connection unspecified = connect("?stringtype=unspecified")) {
            run(conn, unspecified);
        } catch (Exception e) {
            count++;
            failed++;
            System.out.println("not ok " + count + " - the program stopped");
            System.out.println("# " + e);
        }
        System.out.println("1.." + count);
        System.exit(failed == 0 ? 0 : 1);
    }
}
