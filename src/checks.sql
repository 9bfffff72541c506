
-- checks: input checks that report instead of abort.  Each check reads the user's own table
-- (or view) once, in one query built with pg_catalog.format('%I') from a regclass and column names,
-- and returns one spm.input_problem row per problem found.  They are PL/pgSQL (dynamic SQL,
-- nothing for C to compute), SECURITY INVOKER so that the caller's privileges and row-level
-- security apply, STABLE (they read, never write), PARALLEL RESTRICTED (a temporary table
-- may be passed, which a parallel worker cannot read; the query inside may itself run in
-- parallel), not STRICT: a NULL where a table, a column or a threshold is needed is an error,
-- never an empty and reassuring result.  Each runs with search_path = pg_catalog, pg_temp and
-- writes operators and functions pg_catalog-qualified, so that the caller's search_path
-- cannot redirect them; relations in messages are named as seen from there.

CREATE TYPE @extschema@.input_problem AS (
    check_name text,    -- the check that found it: split_shares, duplicate_keys, ...
    code       text,    -- what is wrong, one of the check's documented codes
    key        text,    -- the offending row's key, as text
    message    text     -- what is wrong and what to fix
);
COMMENT ON TYPE @extschema@.input_problem IS
'one problem found by an spm input check: the check''s name, a problem code, the offending row''s key (as text) and a message that says what to fix';

CREATE FUNCTION @extschema@.input_column(relation regclass, column_name text, argument text, kind text DEFAULT 'any')
RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY INVOKER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  typ oid;
  ok boolean;
BEGIN
  IF relation IS NULL OR argument IS NULL OR kind IS NULL THEN
    RAISE EXCEPTION 'a table is needed'
      USING ERRCODE = 'null_value_not_allowed',
            HINT = 'Pass the table or view to check as a regclass, e.g. ''public.deals''.';
  END IF;
  IF column_name IS NULL THEN
    RAISE EXCEPTION 'argument % is NULL', argument
      USING ERRCODE = 'null_value_not_allowed',
            HINT = pg_catalog.format('Pass %s => the name of a column of %s.', argument, relation);
  END IF;
  SELECT coalesce(NULLIF(t.typbasetype, 0), a.atttypid) INTO typ
  FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid OPERATOR(pg_catalog.=) a.atttypid
  WHERE a.attrelid OPERATOR(pg_catalog.=) relation AND a.attname OPERATOR(pg_catalog.=) column_name
    AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped;
  IF typ IS NULL THEN
    RAISE EXCEPTION 'column "%" of % does not exist', column_name, relation
      USING ERRCODE = 'undefined_column',
            DETAIL = pg_catalog.format('%s => %L names no column of %s.', argument, column_name, relation),
            HINT = pg_catalog.format('Pass %s => the name of a column of %s (names are case-sensitive), or a view with a column of that name.', argument, relation);
  END IF;
  ok := CASE kind
          WHEN 'any' THEN true
          WHEN 'exact number' THEN typ OPERATOR(pg_catalog.=) ANY ('{int2,int4,int8,numeric}'::pg_catalog.regtype[])
          WHEN 'date or time' THEN typ OPERATOR(pg_catalog.=) ANY ('{date,timestamp,timestamptz}'::pg_catalog.regtype[])
          WHEN 'boolean' THEN typ OPERATOR(pg_catalog.=) 'bool'::pg_catalog.regtype
          WHEN 'range' THEN EXISTS (SELECT FROM pg_catalog.pg_range r WHERE r.rngtypid OPERATOR(pg_catalog.=) typ)
        END;
  IF ok IS NULL THEN
    RAISE EXCEPTION 'unknown column kind "%"', kind
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Pass kind => ''any'', ''exact number'', ''date or time'', ''boolean'' or ''range''.';
  END IF;
  IF NOT ok THEN
    RAISE EXCEPTION 'column "%" of % is not of type %', column_name, relation,
                    CASE kind WHEN 'exact number' THEN 'numeric or integer'
                              WHEN 'date or time' THEN 'date, timestamp or timestamptz'
                              ELSE kind END
      USING ERRCODE = 'datatype_mismatch',
            DETAIL = pg_catalog.format('%s => %L is of type %s.', argument, column_name, pg_catalog.format_type(typ, NULL)),
            HINT = CASE kind
                     WHEN 'exact number' THEN 'Money and shares are checked exactly: store them as numeric, or pass a view that casts the column to numeric.'
                     WHEN 'range' THEN 'Pass a range column (daterange, tstzrange), or a view with daterange(valid_from, valid_until) AS valid.'
                     WHEN 'boolean' THEN 'Pass a boolean column, or a view with e.g. stage = ''Won'' AS won.'
                     ELSE 'Pass a view that casts the column to date.' END;
  END IF;
  RETURN pg_catalog.quote_ident(column_name);
END $$;
COMMENT ON FUNCTION @extschema@.input_column(regclass, text, text, text) IS
'the quoted name of relation''s column column_name, checked to exist and to be of kind (''any'', ''exact number'', ''date or time'', ''boolean'', ''range''): undefined_column or datatype_mismatch naming argument otherwise; used by the input checks';

CREATE FUNCTION @extschema@.input_won(relation regclass, won_column text)
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE SECURITY INVOKER SET search_path = pg_catalog, pg_temp
AS $$
  SELECT CASE WHEN won_column IS NULL THEN 'true'
              ELSE @extschema@.input_column(relation, won_column, 'won_column', 'boolean') END
$$;
COMMENT ON FUNCTION @extschema@.input_won(regclass, text) IS
'the condition of a won row: relation''s boolean won_column, quoted, or true when won_column is NULL (every row is won); used by the input checks';

CREATE FUNCTION @extschema@.input_comparable(relation regclass, column_name text, referenced regclass, referenced_column text)
RETURNS text
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE SECURITY INVOKER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  types text[];   -- as declared, for the casts and the message
  base oid[];     -- domains' base types, whose operator classes apply
  equals text;
BEGIN
  SELECT pg_catalog.array_agg(pg_catalog.format_type(a.atttypid, a.atttypmod) ORDER BY c.i),
         pg_catalog.array_agg(coalesce(NULLIF(t.typbasetype, 0), t.oid) ORDER BY c.i)
    INTO types, base
  FROM (VALUES (1, relation, column_name), (2, referenced, referenced_column)) c(i, r, n)
  JOIN pg_catalog.pg_attribute a ON a.attrelid OPERATOR(pg_catalog.=) c.r
                                AND a.attname OPERATOR(pg_catalog.=) c.n
  JOIN pg_catalog.pg_type t ON t.oid OPERATOR(pg_catalog.=) a.atttypid;
  -- two columns of one type compare as that type's default btree opclass has it (citext's
  -- 'Ann' is 'ann', as in its DISTINCT and GROUP BY); other pairs as pg_catalog's = resolves them
  SELECT pg_catalog.format('OPERATOR(%I.%s)', n.nspname, o.oprname) INTO equals
  FROM pg_catalog.pg_opclass c
  JOIN pg_catalog.pg_am m ON m.oid OPERATOR(pg_catalog.=) c.opcmethod
  JOIN pg_catalog.pg_amop p ON p.amopfamily OPERATOR(pg_catalog.=) c.opcfamily
                           AND p.amoplefttype OPERATOR(pg_catalog.=) c.opcintype
                           AND p.amoprighttype OPERATOR(pg_catalog.=) c.opcintype
                           AND p.amopstrategy OPERATOR(pg_catalog.=) 3
  JOIN pg_catalog.pg_operator o ON o.oid OPERATOR(pg_catalog.=) p.amopopr
  JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) o.oprnamespace
  WHERE m.amname OPERATOR(pg_catalog.=) 'btree' AND c.opcdefault
    AND c.opcintype OPERATOR(pg_catalog.=) base[1] AND base[1] OPERATOR(pg_catalog.=) base[2];
  equals := coalesce(equals, 'OPERATOR(pg_catalog.=)');
  EXECUTE pg_catalog.format('SELECT NULL::%s %s NULL::%s', types[1], equals, types[2]);
  RETURN equals;
EXCEPTION
  WHEN undefined_function THEN
    RAISE EXCEPTION 'column "%" of % and column "%" of % cannot be compared', column_name, relation,
                    referenced_column, referenced
      USING ERRCODE = 'datatype_mismatch',
            DETAIL = pg_catalog.format('They are of types %s and %s.', types[1], types[2]),
            HINT = 'Name them with the same type in both tables, or pass views that cast both columns to text.';
END $$;
COMMENT ON FUNCTION @extschema@.input_comparable(regclass, text, regclass, text) IS
'the equality operator, schema-qualified, that relation''s column_name and referenced''s referenced_column (both existing) compare with: their type''s default btree equality when both are of one type (citext''s, say), else pg_catalog''s =; datatype_mismatch if they do not compare; used by the input checks';

CREATE FUNCTION @extschema@.check_split_shares(splits regclass, deal_column text DEFAULT 'deal_id',
                                               share_column text DEFAULT 'share')
RETURNS SETOF @extschema@.input_problem
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED SECURITY INVOKER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  deal text := @extschema@.input_column(splits, deal_column, 'deal_column');
  share text := @extschema@.input_column(splits, share_column, 'share_column', 'exact number');
BEGIN
  RETURN QUERY EXECUTE pg_catalog.format($q$
    SELECT 'split_shares'::text,
           CASE WHEN missing OPERATOR(pg_catalog.>) 0 THEN 'share_missing'
                WHEN outside OPERATOR(pg_catalog.>) 0 THEN 'share_out_of_range'
                ELSE 'shares_not_one' END,
           deal::text,
           CASE WHEN missing OPERATOR(pg_catalog.>) 0
                THEN pg_catalog.format('deal %%s has %%s without a share in %%s: fill in the shares', coalesce(deal::text, '(no key)'), CASE WHEN missing OPERATOR(pg_catalog.=) 1 THEN 'a split row' ELSE missing OPERATOR(pg_catalog.||) ' split rows' END, %3$L)
                WHEN outside OPERATOR(pg_catalog.>) 0
                THEN pg_catalog.format('deal %%s has %%s outside 0 to 1 in %%s: correct the shares so that each is a part of the deal', coalesce(deal::text, '(no key)'), CASE WHEN outside OPERATOR(pg_catalog.=) 1 THEN 'a share' ELSE outside OPERATOR(pg_catalog.||) ' shares' END, %3$L)
                ELSE pg_catalog.format('the shares of deal %%s sum to %%s, not 1, in %%s: correct them so that they sum to 1 (%%s %%s)',
                                       coalesce(deal::text, '(no key)'), pg_catalog.trim_scale(total), %3$L,
                                       CASE WHEN total OPERATOR(pg_catalog.<) 1 THEN 'add' ELSE 'remove' END,
                                       pg_catalog.trim_scale(pg_catalog.abs(1 OPERATOR(pg_catalog.-) total))) END
    FROM (SELECT %1$s AS deal, pg_catalog.sum(%2$s)::numeric AS total,
                 pg_catalog.count(*) FILTER (WHERE %2$s IS NULL) AS missing,
                 pg_catalog.count(*) FILTER (WHERE %2$s OPERATOR(pg_catalog.<) 0 OR %2$s OPERATOR(pg_catalog.>) 1) AS outside
          FROM %3$s GROUP BY %1$s) s
    WHERE missing OPERATOR(pg_catalog.>) 0 OR outside OPERATOR(pg_catalog.>) 0 OR total OPERATOR(pg_catalog.<>) 1
    ORDER BY deal$q$, deal, share, splits);
END $$;
COMMENT ON FUNCTION @extschema@.check_split_shares(regclass, text, text) IS
'one problem per deal whose split shares do not sum exactly to 1 (shares_not_one), have a NULL (share_missing) or one outside 0 to 1 (share_out_of_range); splits has one row per (deal, rep) with the rep''s share';

CREATE FUNCTION @extschema@.check_duplicate_keys(relation regclass, key_column text DEFAULT 'deal_id')
RETURNS SETOF @extschema@.input_problem
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED SECURITY INVOKER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  k text := @extschema@.input_column(relation, key_column, 'key_column');
BEGIN
  RETURN QUERY EXECUTE pg_catalog.format($q$
    SELECT 'duplicate_keys'::text,
           CASE WHEN key IS NULL THEN 'key_missing' ELSE 'duplicate_key' END,
           key::text,
           CASE WHEN key IS NULL AND n OPERATOR(pg_catalog.=) 1
                THEN pg_catalog.format('a row of %%s has no %%s: give it its key', %2$L, %3$L)
                WHEN key IS NULL
                THEN pg_catalog.format('%%s rows of %%s have no %%s: give each its key', n, %2$L, %3$L)
                ELSE pg_catalog.format('%%s %%s appears in %%s rows of %%s: keep one row per key, or give the others keys of their own', %3$L, key, n, %2$L) END
    FROM (SELECT %1$s AS key, pg_catalog.count(*) AS n FROM %2$s GROUP BY %1$s) s
    WHERE n OPERATOR(pg_catalog.>) 1 OR key IS NULL
    ORDER BY key$q$, k, relation, key_column);
END $$;
COMMENT ON FUNCTION @extschema@.check_duplicate_keys(regclass, text) IS
'one problem per key value that appears in more than one row of relation (duplicate_key), and one for the rows without a key (key_missing)';

CREATE FUNCTION @extschema@.check_close_before_create(deals regclass, key_column text DEFAULT 'deal_id',
                                                      created_column text DEFAULT 'created',
                                                      closed_column text DEFAULT 'close_date')
RETURNS SETOF @extschema@.input_problem
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED SECURITY INVOKER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  k text := @extschema@.input_column(deals, key_column, 'key_column');
  created text := @extschema@.input_column(deals, created_column, 'created_column', 'date or time');
  closed text := @extschema@.input_column(deals, closed_column, 'closed_column', 'date or time');
BEGIN
  RETURN QUERY EXECUTE pg_catalog.format($q$
    SELECT 'close_before_create'::text, 'close_before_create'::text, %1$s::text,
           pg_catalog.format('deal %%s closes on %%s, before it was created on %%s: correct %%s or %%s',
                             coalesce(%1$s::text, '(no key)'), %3$s, %2$s, %5$L, %6$L)
    FROM %4$s
    WHERE %3$s OPERATOR(pg_catalog.<) %2$s
    ORDER BY %1$s$q$, k, created, closed, deals, created_column, closed_column);
END $$;
COMMENT ON FUNCTION @extschema@.check_close_before_create(regclass, text, text, text) IS
'one problem per deal that closes before it was created (close_before_create); rows with either date NULL (open deals) are not checked';

CREATE FUNCTION @extschema@.check_won_amounts(deals regclass, key_column text DEFAULT 'deal_id',
                                              amount_column text DEFAULT 'amount', won_column text DEFAULT 'won')
RETURNS SETOF @extschema@.input_problem
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED SECURITY INVOKER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  k text := @extschema@.input_column(deals, key_column, 'key_column');
  amount text := @extschema@.input_column(deals, amount_column, 'amount_column', 'exact number');
  won text := @extschema@.input_won(deals, won_column);
BEGIN
  RETURN QUERY EXECUTE pg_catalog.format($q$
    SELECT 'won_amounts'::text,
           CASE WHEN %2$s IS NULL THEN 'won_amount_missing'
                WHEN pg_catalog.abs(%2$s::numeric) OPERATOR(pg_catalog.>=) 'Infinity'::numeric THEN 'won_amount_not_finite'
                ELSE 'won_amount_not_positive' END,
           %1$s::text,
           CASE WHEN %2$s IS NULL
                THEN pg_catalog.format('won deal %%s has no %%s: fill in the amount it was won for', coalesce(%1$s::text, '(no key)'), %5$L)
                WHEN pg_catalog.abs(%2$s::numeric) OPERATOR(pg_catalog.>=) 'Infinity'::numeric
                THEN pg_catalog.format('won deal %%s has %%s %%s: a won deal books a finite amount; correct it',
                                       coalesce(%1$s::text, '(no key)'), %5$L, %2$s)
                ELSE pg_catalog.format('won deal %%s has %%s %%s: a won deal books a positive amount; correct it, or record a refund or clawback as its own line',
                                       coalesce(%1$s::text, '(no key)'), %5$L, pg_catalog.trim_scale(%2$s::numeric)) END
    FROM %4$s
    WHERE %3$s AND (%2$s IS NULL OR %2$s OPERATOR(pg_catalog.<=) 0 OR %2$s::numeric OPERATOR(pg_catalog.>=) 'Infinity'::numeric)
    ORDER BY %1$s$q$, k, amount, won, deals, amount_column);
END $$;
COMMENT ON FUNCTION @extschema@.check_won_amounts(regclass, text, text, text) IS
'one problem per won deal whose amount is zero or negative (won_amount_not_positive), NaN or infinite (won_amount_not_finite) or NULL (won_amount_missing); won_column is boolean, NULL: every row is a won deal';

CREATE FUNCTION @extschema@.check_references(relation regclass, column_name text, referenced regclass,
                                             referenced_column text DEFAULT NULL, key_column text DEFAULT 'deal_id',
                                             allow_null boolean DEFAULT false)
RETURNS SETOF @extschema@.input_problem
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED SECURITY INVOKER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  k text := @extschema@.input_column(relation, key_column, 'key_column');
  col text := @extschema@.input_column(relation, column_name, 'column_name');
  ref text := @extschema@.input_column(referenced, coalesce(referenced_column, column_name), 'referenced_column');
  equals text;
BEGIN
  IF allow_null IS NULL THEN
    RAISE EXCEPTION 'argument allow_null is NULL'
      USING ERRCODE = 'null_value_not_allowed',
            HINT = 'Pass allow_null => true to accept rows without a reference, false to report them.';
  END IF;
  equals := @extschema@.input_comparable(relation, column_name, referenced, coalesce(referenced_column, column_name));
  RETURN QUERY EXECUTE pg_catalog.format($q$
    SELECT 'references'::text,
           CASE WHEN d.%2$s IS NULL THEN 'missing_' ELSE 'unknown_' END OPERATOR(pg_catalog.||) %6$L,
           d.%1$s::text,
           CASE WHEN d.%2$s IS NULL
                THEN pg_catalog.format('row %%s of %%s has no %%s: fill it in from %%s.%%s', coalesce(d.%1$s::text, '(no key)'), %4$L, %6$L, %5$L, %7$L)
                ELSE pg_catalog.format('row %%s of %%s has %%s %%L, which is not in %%s.%%s: correct its spelling, or add it to %%s',
                                       coalesce(d.%1$s::text, '(no key)'), %4$L, %6$L, d.%2$s, %5$L, %7$L, %5$L) END
    FROM %4$s d LEFT JOIN (SELECT DISTINCT %3$s AS v FROM %5$s) r ON r.v %9$s d.%2$s
    WHERE r.v IS NULL%8$s
    ORDER BY d.%1$s$q$, k, col, ref, relation, referenced, column_name,
    coalesce(referenced_column, column_name),
    CASE WHEN allow_null THEN pg_catalog.format(' AND d.%s IS NOT NULL', col) ELSE '' END, equals);
END $$;
COMMENT ON FUNCTION @extschema@.check_references(regclass, text, regclass, text, text, boolean) IS
'one problem per row of relation whose column_name is not a referenced_column (default: the same name) of referenced (code unknown_<column_name>) or is NULL (missing_<column_name>, unless allow_null); the row named by key_column';

CREATE FUNCTION @extschema@.check_credit_without_quota(credits regclass, quotas regclass,
                                                       rep_column text DEFAULT 'rep_id', quota_column text DEFAULT 'quota',
                                                       won_column text DEFAULT 'won', quota_rep_column text DEFAULT NULL)
RETURNS SETOF @extschema@.input_problem
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED SECURITY INVOKER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  rep text := @extschema@.input_column(credits, rep_column, 'rep_column');
  won text := @extschema@.input_won(credits, won_column);
  quota_rep text := @extschema@.input_column(quotas, coalesce(quota_rep_column, rep_column), 'quota_rep_column');
  quota text := @extschema@.input_column(quotas, quota_column, 'quota_column', 'exact number');
  equals text := @extschema@.input_comparable(credits, rep_column, quotas, coalesce(quota_rep_column, rep_column));
BEGIN
  RETURN QUERY EXECUTE pg_catalog.format($q$
    SELECT 'credit_without_quota'::text,
           CASE WHEN q.positive IS NULL THEN 'credit_without_quota' ELSE 'quota_not_positive' END,
           c.rep::text,
           CASE WHEN q.positive IS NULL
                THEN pg_catalog.format('rep %%s is credited in %%s but has no quota in %%s: add the rep''s quota', c.rep, %5$L, %6$L)
                ELSE pg_catalog.format('rep %%s is credited in %%s but has no finite quota above zero in %%s: correct the rep''s quota (attainment divides by it)', c.rep, %5$L, %6$L) END
    FROM (SELECT DISTINCT %1$s AS rep FROM %5$s WHERE %2$s AND %1$s IS NOT NULL) c
    LEFT JOIN (SELECT %3$s AS rep, pg_catalog.bool_or(%4$s OPERATOR(pg_catalog.>) 0 AND %4$s::numeric OPERATOR(pg_catalog.<) 'Infinity'::numeric) AS positive
               FROM %6$s WHERE %4$s IS NOT NULL GROUP BY %3$s) q ON q.rep %7$s c.rep
    WHERE q.positive IS NOT TRUE
    ORDER BY c.rep$q$, rep, won, quota_rep, quota, credits, quotas, equals);
END $$;
COMMENT ON FUNCTION @extschema@.check_credit_without_quota(regclass, regclass, text, text, text, text) IS
'one problem per rep credited in credits (rows where won_column is true; NULL: every row) who has no quota in quotas (credit_without_quota) or none finite and above zero (quota_not_positive); for one period, pass views of that period';

CREATE FUNCTION @extschema@.check_overlapping_assignments(assignments regclass, rep_column text DEFAULT 'rep_id',
                                                          valid_column text DEFAULT 'valid')
RETURNS SETOF @extschema@.input_problem
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED SECURITY INVOKER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  rep text := @extschema@.input_column(assignments, rep_column, 'rep_column');
  valid text := @extschema@.input_column(assignments, valid_column, 'valid_column', 'range');
BEGIN
  -- In the order of the ranges (by lower bound), a range overlaps an earlier one exactly when
  -- it overlaps the hull of all earlier ones: the earlier range reaching furthest contains
  -- everything from its lower bound, at most this one's, up to the hull's upper bound.
  -- Rows without a rep are no one's assignments: each is reported as such, and none overlaps.
  RETURN QUERY EXECUTE pg_catalog.format($q$
    SELECT 'overlapping_assignments'::text,
           CASE WHEN rep IS NULL THEN 'rep_missing' ELSE 'overlapping_assignment' END,
           CASE WHEN rep IS NULL THEN valid::text ELSE pg_catalog.format('%%s %%s', rep, valid) END,
           CASE WHEN rep IS NULL
                THEN pg_catalog.format('an assignment valid %%s in %%s has no %%s: fill in the rep it assigns',
                                       coalesce(valid::text, '(no range)'), %3$L, %4$L)
                ELSE pg_catalog.format('the assignment of rep %%s valid %%s overlaps an earlier assignment of the rep valid within %%s in %%s: end the earlier one before this one starts, or start this one later',
                                       rep, valid, earlier, %3$L) END
    FROM (SELECT rep, valid, earlier
          FROM (SELECT %1$s AS rep, %2$s AS valid,
                       pg_catalog.range_merge(pg_catalog.range_agg(%2$s) OVER (PARTITION BY %1$s ORDER BY %2$s
                                              ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)) AS earlier
                FROM %3$s WHERE %1$s IS NOT NULL AND %2$s IS NOT NULL AND NOT pg_catalog.isempty(%2$s)) a
          WHERE valid OPERATOR(pg_catalog.&&) earlier
          UNION ALL
          SELECT NULL, %2$s, NULL FROM %3$s WHERE %1$s IS NULL) p
    ORDER BY rep, valid$q$, rep, valid, assignments, rep_column);
END $$;
COMMENT ON FUNCTION @extschema@.check_overlapping_assignments(regclass, text, text) IS
'one problem per plan assignment that overlaps an earlier one of the same rep (overlapping_assignment), earlier by the range order, and one per assignment without a rep (rep_missing); the key is the rep and the range (the range alone for rep_missing); valid_column is a range (daterange, tstzrange)';

CREATE FUNCTION @extschema@.check_list_prices(deals regclass, products regclass, threshold numeric,
                                              key_column text DEFAULT 'deal_id', product_column text DEFAULT 'product',
                                              price_column text DEFAULT 'amount', list_price_column text DEFAULT 'list_price',
                                              won_column text DEFAULT 'won', list_product_column text DEFAULT NULL)
RETURNS SETOF @extschema@.input_problem
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED SECURITY INVOKER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  k text := @extschema@.input_column(deals, key_column, 'key_column');
  product text := @extschema@.input_column(deals, product_column, 'product_column');
  price text := @extschema@.input_column(deals, price_column, 'price_column', 'exact number');
  won text := @extschema@.input_won(deals, won_column);
  list_product text := @extschema@.input_column(products, coalesce(list_product_column, product_column), 'list_product_column');
  list_price text := @extschema@.input_column(products, list_price_column, 'list_price_column', 'exact number');
  equals text;
BEGIN
  IF threshold IS NULL OR threshold OPERATOR(pg_catalog.<) 0 OR threshold OPERATOR(pg_catalog.=) 'NaN' OR threshold OPERATOR(pg_catalog.=) 'Infinity' THEN
    RAISE EXCEPTION 'threshold must be a fraction of the list price of 0 or more'
      USING ERRCODE = CASE WHEN threshold IS NULL THEN 'null_value_not_allowed' ELSE 'invalid_parameter_value' END,
            DETAIL = pg_catalog.format('threshold => %s.', coalesce(threshold::text, 'NULL')),
            HINT = 'Pass threshold => 0.25 to report prices more than 25% below or above the list price.';
  END IF;
  equals := @extschema@.input_comparable(deals, product_column, products, coalesce(list_product_column, product_column));
  -- a product listed twice has no one list price: check_duplicate_keys reports it, and its
  -- deals are left out here, as are deals of products not listed (check_references)
  RETURN QUERY EXECUTE pg_catalog.format($q$
    SELECT 'list_prices'::text,
           CASE WHEN NOT d.finite THEN 'price_not_finite'
                WHEN NOT l.finite THEN 'list_price_not_finite'
                WHEN d.price OPERATOR(pg_catalog.<) l.price THEN 'price_below_list' ELSE 'price_above_list' END,
           d.key::text,
           CASE WHEN NOT d.finite
                THEN pg_catalog.format('deal %%s sold %%s for %%s: a deal''s price is finite; correct it',
                                       coalesce(d.key::text, '(no key)'), d.product, d.price)
                WHEN NOT l.finite
                THEN pg_catalog.format('deal %%s sold %%s, whose list price is %%s in %%s: a list price is finite; correct it',
                                       coalesce(d.key::text, '(no key)'), d.product, l.price, %7$L)
                ELSE pg_catalog.format('deal %%s sold %%s for %%s, %%s%%%% %%s its list price %%s (more than %%s%%%%): correct the price or the list price, or record why it differs',
                                       coalesce(d.key::text, '(no key)'), d.product, pg_catalog.trim_scale(d.price),
                                       pg_catalog.round(100 OPERATOR(pg_catalog.*) pg_catalog.abs(d.price OPERATOR(pg_catalog.-) l.price) OPERATOR(pg_catalog./) l.price, 1),
                                       CASE WHEN d.price OPERATOR(pg_catalog.<) l.price THEN 'below' ELSE 'above' END,
                                       pg_catalog.trim_scale(l.price), pg_catalog.trim_scale(100 OPERATOR(pg_catalog.*) %8$L::numeric)) END
    FROM (SELECT %1$s AS key, %2$s AS product, %3$s::numeric AS price,
                 pg_catalog.abs(%3$s::numeric) OPERATOR(pg_catalog.<) 'Infinity'::numeric AS finite
          FROM %6$s WHERE %4$s AND %3$s IS NOT NULL) d
    JOIN (SELECT %5$s AS product, pg_catalog.min(%9$s)::numeric AS price,
                 pg_catalog.bool_and(pg_catalog.abs(%9$s::numeric) OPERATOR(pg_catalog.<) 'Infinity'::numeric) AS finite
          FROM %7$s GROUP BY %5$s
          HAVING pg_catalog.count(*) OPERATOR(pg_catalog.=) 1) l ON l.product %10$s d.product
    WHERE NOT d.finite OR NOT l.finite
       OR (l.price OPERATOR(pg_catalog.>) 0
           AND pg_catalog.abs(d.price OPERATOR(pg_catalog.-) l.price) OPERATOR(pg_catalog.>) (%8$L::numeric OPERATOR(pg_catalog.*) l.price))
    ORDER BY d.key$q$, k, product, price, won, list_product, deals, products, threshold, list_price, equals);
END $$;
COMMENT ON FUNCTION @extschema@.check_list_prices(regclass, regclass, numeric, text, text, text, text, text, text) IS
'one problem per won deal (won_column true; NULL: every row) whose price is more than threshold (a fraction: 0.25 = 25%) of the list price below it (price_below_list) or above it (price_above_list), or whose price (price_not_finite) or list price (list_price_not_finite) is NaN or infinite; deals of products not listed, listed twice or without a positive list price are not checked';

CREATE FUNCTION @extschema@.check_inputs(deals regclass, reps regclass DEFAULT NULL, products regclass DEFAULT NULL,
                                         splits regclass DEFAULT NULL, quotas regclass DEFAULT NULL,
                                         assignments regclass DEFAULT NULL, price_threshold numeric DEFAULT NULL)
RETURNS SETOF @extschema@.input_problem
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED SECURITY INVOKER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF deals IS NULL THEN
    RAISE EXCEPTION 'a deals table is needed'
      USING ERRCODE = 'null_value_not_allowed',
            HINT = 'Pass deals => a table or view with deal_id, rep_id, amount, created, close_date and won.';
  END IF;
  RETURN QUERY SELECT * FROM @extschema@.check_duplicate_keys(deals, 'deal_id');
  RETURN QUERY SELECT * FROM @extschema@.check_close_before_create(deals);
  RETURN QUERY SELECT * FROM @extschema@.check_won_amounts(deals);
  IF reps IS NOT NULL THEN
    RETURN QUERY SELECT * FROM @extschema@.check_duplicate_keys(reps, 'rep_id');
    RETURN QUERY SELECT * FROM @extschema@.check_references(deals, 'rep_id', reps);
  END IF;
  IF products IS NOT NULL THEN
    RETURN QUERY SELECT * FROM @extschema@.check_duplicate_keys(products, 'product');
    RETURN QUERY SELECT * FROM @extschema@.check_references(deals, 'product', products);
    IF price_threshold IS NOT NULL THEN
      RETURN QUERY SELECT * FROM @extschema@.check_list_prices(deals, products, price_threshold);
    END IF;
  END IF;
  IF splits IS NOT NULL THEN
    RETURN QUERY SELECT * FROM @extschema@.check_split_shares(splits);
  END IF;
  IF quotas IS NOT NULL THEN
    RETURN QUERY SELECT * FROM @extschema@.check_credit_without_quota(deals, quotas);
  END IF;
  IF assignments IS NOT NULL THEN
    RETURN QUERY SELECT * FROM @extschema@.check_overlapping_assignments(assignments);
  END IF;
END $$;
COMMENT ON FUNCTION @extschema@.check_inputs(regclass, regclass, regclass, regclass, regclass, regclass, numeric) IS
'every input check over tables (or views) with spm''s column names: deals (deal_id, rep_id, product, amount, created, close_date, won), reps (rep_id), products (product, list_price), splits (deal_id, share), quotas (rep_id, quota), assignments (rep_id, valid); a NULL table skips its checks, a NULL price_threshold the list prices';
