//! English sentence templates for the ~3% of stories told in English (expats, international
//! students, parents new to the Netherlands). Smaller banks than the Dutch ones, same structure.

use super::phrases::*;

#[rustfmt::skip]
pub(crate) const GENERIC_EN: &[Tpl] = &[
    t(I, Y, ANY, "I'm {leeftijd} and I moved to {plaats} with my [mum|parents|dad] [a few years ago|when I was little|{moment_en}]."),
    t(I, Y, ANY, "ok so [this is my story|I don't really know where to start], [sorry my Dutch isn't great|I'll write it in English]."),
    t(I, PO, ANY, "We [moved to the Netherlands|came here for work] [three years ago|a while ago] and [our {kind_en} is {kindleeftijd}|we have {aantal_kinderen_en} children]."),
    t(I, R, ANY, "I have worked as a [youth care worker|family coach|social worker] in {plaats} for [five|eight|ten|three] years."),
    t(E, Y, ANY, "[Nobody|No one at school] [really noticed|realised] how bad it was[ with {onderwerp_en}|], [I was good at hiding it|I just acted like everything was fine]."),
    t(E, PO, ANY, "[Everything around {onderwerp_en}|The whole system] [was in Dutch|felt like a maze], [and every form|and every letter] [took me hours|needed a translation app]."),
    t(E, R, ANY, "The family [had had help before|was known to several services], [but never for long|but it never really stuck]."),
    t(H, Y, PM, "my [best friend|friend from class]{@vrienden} [was just there for me|kept texting me], [that meant a lot|honestly that was enough]."),
    t(H, Y, NM, "[Honestly|Basically] nobody{@niemand} [really helped|helped much], [I had to figure it out myself|everyone was too busy]."),
    t(H, PO, PM, "[A neighbour|Another parent from school]{@buurt} [helped us|translated for us] [with the letters|at the meetings], [which made all the difference|we could not have done it without her]."),
    t(H, R, ANY, "[My colleagues|An experienced colleague] [helped me think it through|came up with another approach]."),
    t(U, Y, POS, "[It's|Things are] [a lot|way] better now[, even if I still have bad days|]."),
    t(U, Y, NM, "[It's|Things are] still not [sorted|good] [and I don't know if it ever will be|, but I'm learning to live with it]."),
    t(U, PO, POS, "[Now|These days] [things are|it is] [much calmer|a lot better] [at home|with {hem_en}]."),
    t(U, PO, NM, "[We are|I am] [still|honestly still] [struggling|not there yet], and [I don't see the end of it|it has cost us a lot]."),
    t(U, R, ANY, "[In the end|Eventually] [things got calmer|there was a plan the family could carry], [but it took far too long|although I'm not sure it will last]."),
    t(G, Y, NM, "I felt [so|really] [alone|angry|lost|ignored][ tbh|]."),
    t(G, Y, PM, "I'm [actually|kind of] proud of myself that I [kept going|asked for help]."),
    t(G, PO, NM, "As a parent you feel [so|completely] [powerless|alone|lost] [in a system you don't understand|when nobody explains anything]."),
    t(G, PO, PM, "I was [so|really] [relieved|grateful] [when it finally worked out|that someone listened]."),
    t(G, R, NM, "[Situations like this|Cases about {onderwerp_en}] [frustrate me|keep me up at night], [even after all these years|honestly]."),
    t(N, Y, ANY, "What I needed was [just|] someone who [listened|asked how I was really doing] [without judging|without fixing everything straight away|and knew something about {onderwerp_en}]."),
    t(N, PO, ANY, "What would have helped: [+one contact person|information in English|someone who explained how things work here]."),
    t(N, R, ANY, "What would help: [+time|trust in our professional judgement|less paperwork and more contact]."),
];

#[rustfmt::skip]
pub(crate) const WACHTLIJST_EN: &[Tpl] = &[
    t(I, Y, ANY, "I'd had [panic attacks|trouble sleeping|really dark moods] for [months|ages] and the GP{@huisarts} referred me to [a psychologist|youth mental health care]."),
    t(I, PO, ANY, "Our {kind_en} [needed an assessment for autism|has severe anxiety|stopped eating] and the GP{@huisarts} gave us a referral."),
    t(I, R, ANY, "[Almost every week|Every week] I have to tell a family that the waiting list [is long|for treatment is months]."),
    t(E, YPO, ANY, "Then we heard the waiting list [for an intake|for the first appointment] was [about|at least] {wachtduur_en}."),
    t(E, YPO, ANY, "[Every time|Whenever] [I|we] called, [they said to be patient|nobody could tell us how long it would take], [and nothing happened|and we just kept waiting]."),
    t(E, YPO, ANY, "After the intake there was [another|a second] waiting list [for the actual treatment|for therapy], [which nobody had told us about|which was absurd]."),
    t(E, R, ANY, "The waiting time for [specialist mental health care|trauma treatment] in our region is [around|well over] {wachtduur_en}, [and providers have stopped taking referrals|and the intake keeps being postponed]."),
    t(H, YPO, ANY, "[My aunt|My gran|A friend]{@familie} [stayed close|checked in every day] [while we waited|during those months], [which helped more than anything|which kept us going]."),
    t(U, YPO, POS, "After {wachtduur_en} [treatment finally started|there was finally a place] and [things are much better now|it really helps]."),
    t(U, YPO, NEG, "We are [still|now] on the waiting list, [after {wachtduur_en}|months later], and [things have only got worse|I have given up hope]."),
    t(U, R, NM, "By the time [treatment started|the intake happened] the situation [had escalated|was much worse], [which was completely avoidable|and that still bothers me]."),
    t(N, ALL, ANY, "What [I|we] needed was [someone to check in while we waited|honest information about the waiting time|help straight away, not in {wachtduur_en}]."),
];

#[rustfmt::skip]
pub(crate) const NIET_GEHOORD_EN: &[Tpl] = &[
    t(I, Y, ANY, "I had a [family guardian|youth protection worker]{@jeugdhulp} [because things at home weren't good|after a report to Veilig Thuis]."),
    t(I, PO, ANY, "[Since last year|For a while now] we have had [a supervision order|a family guardian]{@jeugdhulp} for our {kind_en}."),
    t(I, R, ANY, "As a [youth protection worker|behavioural scientist] I [sit in|chair] a lot of [multidisciplinary meetings|case meetings] about young people."),
    t(E, Y, ANY, "They [decided|talked about] [things about me without me|where I would live] [and I wasn't even there|and nobody asked what I wanted]."),
    t(E, Y, ANY, "In my [care plan|perspective plan] there were [things I never said|goals I didn't agree with], and [nobody asked me|I only saw it later]."),
    t(E, PO, ANY, "In the meetings [everything was already decided|they talked about us] [before we could say anything|as if we weren't there]."),
    t(E, PO, ANY, "The report [had mistakes about our family|was wrong], and [I could only add a comment|nothing was changed]."),
    t(E, R, ANY, "We say we plan 'together with the young person', but [the plan is usually written by us|young people mostly sit and listen]."),
    t(H, Y, PM, "[My mentor|A teacher]{@school} was the only one who [actually listened|asked what I wanted] and [came with me to the meeting|stood up for me]."),
    t(U, YPO, POS, "At the next meeting [I could speak first|we were at the table from the start] and [for the first time I felt taken seriously|it made a real difference]."),
    t(U, YPO, NEG, "In the end [they decided anyway|it went the way they wanted], and [I've stopped saying anything|I don't trust them any more]."),
    t(G, YPO, NM, "It feels like you're [a file|a case number], [not a person|not someone with an opinion]."),
    t(N, ALL, ANY, "[Just|Please] [ask us what we want|let us write our own plan|talk in normal language], [before decisions are made|not afterwards]."),
];

#[rustfmt::skip]
pub(crate) const SCHOOL_EN: &[Tpl] = &[
    t(I, Y, ANY, "I was in [year 9|my second year|my first year of MBO] and [school just wasn't working any more|I hardly went to school]."),
    t(I, PO, ANY, "Our {kind_en} [has been at home|has been out of school] for {duur_en} because [the school says they can't provide the support|there is no suitable school]."),
    t(I, R, ANY, "As a [school social worker|care coordinator] I see [more and more|every year more] [pupils who stop coming|young people stuck at home]."),
    t(E, Y, ANY, "I [skipped school|stayed home] [more and more|almost every Monday] and [the school|the truancy officer]{@school} [sent letters|called my parents], [but nobody asked why|nobody asked what was wrong]."),
    t(E, Y, ANY, "I was [bullied|left out] in class and [the teachers didn't see it|the teachers pretended not to notice]{@school}."),
    t(E, PO, ANY, "We had [endless meetings|so many meetings] with [the school|the care coordinator]{@school} about [extra support|a reduced timetable], [but nothing changed|and nothing happened]."),
    t(E, R, ANY, "Inclusive education [sounds great|is a nice idea], but [with thirty pupils in a class|without extra hands] [there is no time|it often doesn't work]."),
    t(H, YPO, PM, "[My mentor|One teacher]{@school} [noticed|saw] [something was wrong|I wasn't okay] and [arranged a quiet room|let me do half days], [that was the start|things got better from there]."),
    t(U, Y, POS, "[Now|These days] I'm at [a smaller school|a different school] and [it's going well|I go every day again]."),
    t(U, PO, POS, "[Now|These days] {hij_en}'s at [a smaller school|a different school] and [it's going well|goes every day again]."),
    t(U, Y, NM, "I [dropped out|left school] [in the end|eventually] and [there's still no plan|I don't know what to do now]."),
    t(U, PO, NM, "{hij_en} [dropped out|left school] [in the end|eventually] and [there's still no plan|nobody seems responsible]."),
    t(N, ALL, ANY, "What was needed: [+a mentor with time|school and youth care talking to each other|someone asking why, not sending letters]."),
];

#[rustfmt::skip]
pub(crate) const WONEN_EN: &[Tpl] = &[
    t(I, Y, ANY, "{?adult}I lived [in a group home|with foster parents] until I turned 18[, and then everything changed overnight|]."),
    t(I, PO, ANY, "{?minor}Our {kind_en} turns 18 [soon|in a few months], and then [youth care|the support] just stops."),
    t(I, Y, ANY, "{?adult}I'm {leeftijd} and [I've been looking for a room for ages|I just moved out of a group home|I'm still living with my foster parents because I can't find anything]."),
    t(I, Y, ANY, "{?minor}I'm {leeftijd} and I turn 18 [next year|soon], and I'm [scared|worried] about what happens then."),
    t(I, PO, ANY, "{?adult}Our {kind_en} just turned 18, and [the support stopped|{hij_en} had to leave the group home]."),
    t(I, R, ANY, "I support young people [leaving youth care|between 17 and 23] as a [youth coach|supported-living worker]."),
    t(E, Y, ANY, "I [looked for|applied for] [a room|a studio] for {duur_en} but [there are waiting lists everywhere|the rents are crazy]."),
    t(E, Y, ANY, "{?adult}Suddenly I had to do everything myself: [health insurance|DigiD|benefits|rent allowance], [and nobody explained it|and I didn't understand any of it]."),
    t(E, YPO, ANY, "Extended youth care [had to be applied for|was complicated], [and nobody told us it existed|and we only heard about it too late]."),
    t(E, R, ANY, "The step from 18- to 18+ means [a new law|a new assessment], and [that is where young people drop off|they fall between the cracks]."),
    t(H, Y, PM, "{?adult}[My old mentor from the group|My foster mum]{@jeugdhulp} [kept in touch|said I could stay] [after I turned 18|until I found something], [and that saved me|even though she didn't have to]."),
    t(U, Y, POS, "{?adult}I now live [independently|in a studio] and [it's going well|I manage most things alone]."),
    t(U, PO, POS, "{?adult}{hij_en} now lives [independently|in a studio] and [it's going well|manages most things alone]."),
    t(U, Y, NM, "I still don't have [a place to live|a room of my own] and [it feels like being dropped|nobody seems to care]."),
    t(U, PO, NM, "{hij_en} still doesn't have [a place to live|a room] and [it feels like being dropped|nobody seems to care]."),
    t(N, ALL, ANY, "What's needed: [+help that doesn't stop on your 18th birthday|affordable rooms for young people|someone to call until you're 21]."),
];

#[rustfmt::skip]
pub(crate) const GESLOTEN_EN: &[Tpl] = &[
    t(I, Y, ANY, "I spent [eight months|a year|{duur_en}] in a [secure|closed] youth care unit [after I kept running away|because home wasn't safe]."),
    t(I, PO, ANY, "Our {kind_en} was placed in a [secure|closed] youth care unit [by the court|with a court order], [far from home|two hours away]."),
    t(I, R, ANY, "I work as a [group worker|behavioural scientist] on a [secure|closed] unit with [eight|ten] young people."),
    t(E, Y, ANY, "If you [broke a rule|got angry] you got [room time|a room programme], [sometimes for a whole day|and nobody talked to you]."),
    t(E, Y, ANY, "I was [put in seclusion|secluded] [a few times|twice] and [you don't forget that|nobody explained why]."),
    t(E, PO, ANY, "I only heard [afterwards|from {hem_en}] that {hij_en} had been [in seclusion|in the isolation room], [nobody called us|the unit never told us]."),
    t(E, R, ANY, "Since the new law we [register every restrictive measure|have to record every restriction], [which is good|which sharpens us], but [with agency staff on shift|with a short-staffed team] it's hard to de-escalate."),
    t(H, YPO, PM, "There was [one group worker|one staff member]{@jeugdhulp} who [actually listened|went for walks when it got too much], and [that made the difference|that's who I trusted]."),
    t(U, Y, POS, "[Now|These days] I'm on [an open group|a small unit closer to home] and [things are better|I have some freedom again]."),
    t(U, PO, POS, "[Now|These days] {hij_en}'s on [an open group|a small unit closer to home] and [things are better|there's freedom again]."),
    t(U, Y, NM, "I'm out now, but [I don't trust care workers any more|it did more harm than good]."),
    t(U, PO, NM, "{hij_en}'s out now, but [doesn't trust care workers any more|it did more harm than good]."),
    t(N, ALL, ANY, "What would help: [+fixed staff|small groups|a real say in the group rules|asking what's wrong instead of locking the door]."),
];

#[rustfmt::skip]
pub(crate) const INFORMEEL_EN: &[Tpl] = &[
    t(I, Y, ANY, "Things at home were [really tense|not good] for a while [because my parents were splitting up|because my mum was ill]."),
    t(I, PO, ANY, "When I [was in hospital|lost my job|was on my own after the divorce], [my sister and my mum|the neighbours|friends from school]{@familie} [stepped in straight away|were there for us]."),
    t(I, R, ANY, "In our team we start with one question: who is already around this family?"),
    t(E, Y, ANY, "After school I went to [my gran's|my aunt's]{@familie} [to eat|where it was quiet], and [I could just be myself there|nobody asked questions]."),
    t(E, Y, ANY, "My [football|kickboxing] coach{@buurt} [noticed|saw] I was [quiet|not okay] and [asked if I wanted to talk|took me for chips after training]."),
    t(E, PO, ANY, "We made [a rota|a group chat] with [family and neighbours|the grandparents]{@familie} for [who picked the kids up|who cooked when]."),
    t(E, R, ANY, "A network meeting takes [time|weeks to prepare], but [what comes out|the result] is often [stronger|more lasting] than [what we can offer|professional help]."),
    t(H, YPO, PM, "[My gran{@familie}|The neighbour{@buurt}|Our neighbour{@buurt}] [just said 'you can always come here'|was there every day], and [that was enough|that kept us going]."),
    t(U, YPO, POS, "[Thanks to|With] [those people|our network] [we managed without heavy care|things got better without youth care]."),
    t(U, YPO, NM, "[But|Only] [the family|our network] [got exhausted|couldn't carry it alone] [in the end|after a while]."),
    t(N, ALL, ANY, "Care workers should [ask who is already around you|take the network seriously] [before sending a professional|from the first meeting]."),
];

#[rustfmt::skip]
pub(crate) const WERKDRUK_EN: &[Tpl] = &[
    t(I, R, ANY, "I've worked as a [family guardian|youth care worker|case manager] for [six|ten|four] years and [it gets harder every year|I love the work]."),
    t(I, R, ANY, "My caseload is {caseload} families right now, [while|when] [20|22] [should be the maximum|is what's responsible]."),
    t(E, R, ANY, "[Half|More than half] of my time [goes to paperwork|is registration and reporting], [not to families|and I didn't choose this job for that]."),
    t(E, R, ANY, "[Two|Three] colleagues are [off sick|out with burnout] and their [families|cases] were [shared out|added] to the rest of us."),
    t(E, R, ANY, "I write [reports|case notes] [in the evening|at the weekend] [just to keep up|because otherwise it never gets done]."),
    t(E, R, ANY, "Every [municipality|commissioner] has [its own forms|its own accountability rules], so the [admin burden|paperwork] keeps growing."),
    t(H, R, PM, "What keeps me going is [my direct colleagues|the team|peer supervision]: [we catch each other|we share the load]."),
    t(U, R, NEG, "[Last year|Eventually] I [burnt out myself|was off for six weeks|left for another job]."),
    t(U, R, PM, "[Since we work in smaller teams|Since the municipality asks for less paperwork] [we have more time for families|there's some breathing space again]."),
    t(E, YPO, ANY, "[I've|We've] had [four|five] different [care workers|guardians]{@jeugdhulp} in [two years|eighteen months], [they all left|they kept getting sick or quitting]."),
    t(G, ALL, NM, "[It feels|I feel] like [nobody has time|I'm failing people], [and that eats at me|and that's not okay]."),
    t(N, ALL, ANY, "What's needed: [+lower caseloads|less registration and more trust|one fixed person who stays]."),
];

#[rustfmt::skip]
pub(crate) const GELDZORGEN_EN: &[Tpl] = &[
    t(I, P, ANY, "I'm a [single parent|parent on my own] with {aantal_kinderen_en} kids and money has been tight [since the divorce|since I lost my job|every month]."),
    t(I, Y, ANY, "There was [never|hardly ever] money at home and [I worked in a supermarket from 15|I couldn't go on school trips]."),
    t(I, R, ANY, "[Many|More and more] families [I see|on my caseload] have [debts|money worries], and [that's often what's really behind|that sits underneath] the [stress at home|parenting problems]."),
    t(E, PO, ANY, "After [rent and energy|the rent] [there's|I have] [sixty|eighty] euros a week left [for food|for everything]."),
    t(E, PO, ANY, "[The personal contribution|The travel costs] for [the treatment|respite care] [were too much|we simply couldn't pay], [and nobody reimbursed it|so we almost stopped]."),
    t(E, Y, ANY, "{?adult}When I turned 18 I [had to pay health insurance|had to pay for everything] and [within months|soon] I had [debts|a collection letter]."),
    t(E, R, ANY, "We offer [parenting support|family coaching] while [the rent isn't paid|there's no food in the house], [which doesn't work|that has to come first]."),
    t(H, YPO, ANY, "Through [the social team|the municipality]{@wijkteam} I got [a budget coach who helped with the letters|a debt counsellor who set up a payment plan]."),
    t(U, YPO, POS, "[Now|These days] there's [a payment plan|an overview again] and [I can sleep again|there's peace at home]."),
    t(U, YPO, NEG, "The [debts|bills] are [still there|still growing] and [I don't see a way out|there's always something new]."),
    t(G, ALL, NM, "Money worries [take all your energy|fill your whole head], and [there's no room left for anything else|I felt ashamed all the time]."),
    t(N, ALL, ANY, "What would have helped: [+one place to go|someone to go through the letters with me|care that doesn't depend on what you can pay]."),
];

/// English titles, one list per theme in `THEMES` order.
pub(crate) const TITLES_EN: [&[&str]; 8] = [
    &["Waiting, waiting, waiting", "The waiting list", "Too long"],
    &["About me, without me", "Nobody listened", "Finally heard"],
    &["Back to school", "My mentor", "Stuck at home"],
    &["Turning 18", "Finding a room", "Suddenly on my own"],
    &["Behind a locked door", "Room time", "The unit"],
    &["My gran", "The neighbour", "Not alone"],
    &["No time", "Another new care worker", "Paperwork"],
    &["Money worries", "Debts", "Every month tight"],
];
