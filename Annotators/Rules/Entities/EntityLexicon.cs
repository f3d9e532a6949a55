namespace Herald.Annotators.Rules.Entities;

/// <summary>The word lists behind <see cref="EntityRecognizer"/>. Case-insensitive unless noted.</summary>
internal static class EntityLexicon
{
    private static HashSet<string> Set(string words) =>
        new(words.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries), StringComparer.OrdinalIgnoreCase);

    /// <summary>Abbreviations whose trailing dot belongs to the word, not to the sentence.</summary>
    public static readonly HashSet<string> Abbreviations = Set("Inc Corp Co Ltd Pte Pty Dr Mr Mrs Ms Prof Jr Sr St S.A N.V Bros Mt Gov Sen Rep");

    public static readonly HashSet<string> Honorifics = Set("Dr. Mr. Mrs. Ms. Prof. Sir Dame Dr Mr Mrs Ms Prof");

    /// <summary>Last words that make a capitalised name an organisation: legal forms and the usual heads of company names.</summary>
    public static readonly HashSet<string> OrganisationHeads = Set("""
        Inc Inc. Corp Corp. Co Co. Ltd Ltd. LLC LLP LP plc PLC GmbH AG AB SA S.A S.A. SAS SE NV N.V BV Oy ASA AS KK Pte Pty SpA Srl
        Group Holdings Holding Labs Lab Technologies Technology Tech Systems Capital Ventures Partners Bank Fund Funds Equity Investments
        Media Bio Biotech Photonics Optics Optik Werke Bau Biosciences Therapeutics Pharma Pharmaceuticals Health Healthcare Payments Pay Energy Power Industries Hotels
        Resorts Inns Studios Logistics Analytics Robotics Aero Aerospace Aviation Airlines Mobility AI Software Networks Network Foods
        Motors Automotive Semiconductor Semiconductors Solutions Services Credit Management Advisors Insurance Financial Finance
        Securities Markets Brands Retail Stores Games Gaming Entertainment Pictures Records Publishing Press Telecom Communications
        Cloud Data Digital Security Dynamics Materials Chemicals Minerals Mining Metals Steel Construction Properties Realty Estates
        Shipping Freight Transport Foundry Works Manufacturing Electric Electronics Devices Instruments Medical Diagnostics Genomics
        Clinics Accelerator Exchange Trust Bancorp Bankshares Acquisition Association Institute University
        """);

    /// <summary>Words of job titles: a name right next to one is a person ("CEO Jane Doe", "Jane Doe, chief executive").</summary>
    public static readonly HashSet<string> TitleWords = Set("""
        CEO CFO COO CTO CPO CMO CIO CRO CSO CHRO CISO CDO GC EVP SVP VP MD chief executive officer president chair chairman
        chairwoman chairperson founder co-founder cofounder director head partner managing general counsel treasurer secretary
        principal manager executive vice
        """);

    /// <summary>Words that qualify a title ("chief operating officer").</summary>
    public static readonly HashSet<string> TitleModifiers = Set("""
        scientific operating financial technology product marketing revenue people information security data legal commercial
        strategy investment board non-executive senior medical
        """);

    /// <summary>Title words that can never be part of a name, so they end one ("General" or "Partners" can be in a name).</summary>
    public static readonly HashSet<string> TitlesEndingNames = Set("""
        CEO CFO COO CTO CPO CMO CIO CRO CSO CHRO CISO CDO EVP SVP VP Chief President Chair Chairman Chairwoman Chairperson Founder
        Co-founder Cofounder Vice
        """);

    /// <summary>Verbs whose object is a person being given a job.</summary>
    public static readonly HashSet<string> HiringVerbs = Set("""
        appointed appoints appoint named names name hired hires hire promoted promotes promote tapped taps tap poached poaches
        welcomed welcomes elevated elevates recruited recruits picked picks installed installs replacing replaces replaced succeeding
        succeeds succeeded
        """);

    /// <summary>Verbs after which a name is the subject's acquisition target.</summary>
    public static readonly HashSet<string> AcquisitionVerbs = Set("""
        acquire acquires acquired acquiring buy buys bought buying purchase purchases purchased absorb absorbs absorbed swallow swallows
        swallowed
        """);

    /// <summary>Words after which a name is an investor.</summary>
    public static readonly HashSet<string> InvestorCues = Set("from by including include includes investors investor backers backer participation");

    /// <summary>Verbs that make the name before them a company doing business.</summary>
    public static readonly HashSet<string> CompanyVerbs = Set("""
        raised raises raise raising secured secures secure closed closes close landed lands bagged bags netted nets acquired acquires
        acquire buys bought agreed agrees completed completes announced announces snaps snapped hires hired appoints appointed names
        named promotes promoted taps tapped launched launches reported reports posted posts filed files
        """);

    /// <summary>Capitalised words that are never (part of) a name: time words, currencies, generic business nouns.</summary>
    public static readonly HashSet<string> NeverNames = Set("""
        January February March April May June July August September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept
        Oct Nov Dec Monday Tuesday Wednesday Thursday Friday Saturday Sunday Today Yesterday Tomorrow Series Seed Pre-Seed Round
        USD EUR GBP CHF JPY INR CNY CAD AUD SEK NOK DKK IPO SPAC M&A Q1 Q2 Q3 Q4 H1 H2 FY RT Breaking Update Exclusive Deal News
        """);

    /// <summary>Words that start a sentence without starting a name.</summary>
    public static readonly HashSet<string> LeadingWords = Set("""
        The A An This That These Those Its Their Our His Her In On At For From With By After Before As But And Or While When Where
        Under Over Shares Existing Former New Both Neither Each Every All Some Most It We They He She Analysts Investors Sources
        According Last Next Earlier Later Also Meanwhile However Separately Terms Financial Details If Once Since Until Why How What
        """);

    /// <summary>Places: capitalised, but neither companies nor people.</summary>
    public static readonly HashSet<string> Places = Set("""
        US USA U.S UK EU Europe America Asia Africa Australia Canada Mexico Brazil Argentina Chile Germany France Spain Italy Portugal
        Netherlands Belgium Switzerland Austria Sweden Norway Denmark Finland Poland Ireland Britain England Scotland Wales India China
        Japan Korea Singapore Indonesia Vietnam Thailand Israel Turkey Egypt Nigeria Kenya London Paris Berlin Munich Zurich Geneva
        Stockholm Oslo Copenhagen Helsinki Amsterdam Madrid Lisbon Rome Milan Dublin Tokyo Seoul Beijing Shanghai Bengaluru Mumbai Delhi
        Osaka Kyoto Hamburg Frankfurt Vienna Prague Warsaw Sao Paulo São Lagos Nairobi Dubai Hong Kong Taipei Sydney Toronto Vancouver Boston Chicago Texas California Ohio Indiana Vermont Florida Seattle Austin Denver Atlanta Miami
        York Francisco Angeles Silicon Valley Wall Street Street Avenue Europe's America's
        """);
}
