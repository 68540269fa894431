//! Throughput of parse + normalize for Graph sign-in JSON (`{"value":[…]}` page) and NDJSON,
//! generated in memory: realistic records (~1.6 KB, nested status/device/location, CA policies).
//! Reports records per second; the README quotes the measured number.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use model::{Event, RecordError};
use normalize::{ReadOptions, Sink};

struct Count(u64, u64);

impl Sink for Count {
    fn event(&mut self, event: Event) {
        self.0 += 1;
        black_box(event);
    }
    fn reject(&mut self, _: RecordError) {
        self.1 += 1;
    }
}

fn record(i: usize) -> String {
    format!(
        r#"{{"id":"6f0c{i:08x}-1a2b-4c3d-8e9f-0123456789ab","createdDateTime":"2025-06-01T{h:02}:{m:02}:{s:02}.1234567Z","userDisplayName":"User {u}","userPrincipalName":"User{u}@Example.co.jp","userId":"a1b2c3d4-0000-4000-8000-{u:012}","appId":"00000002-0000-0ff1-ce00-000000000000","appDisplayName":"Office 365 Exchange Online","ipAddress":"203.0.{a}.{b}","clientAppUsed":"Browser","userAgent":"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36","correlationId":"c0ffee00-0000-4000-8000-{i:012}","conditionalAccessStatus":"notApplied","isInteractive":true,"riskDetail":"none","riskLevelAggregated":"none","riskLevelDuringSignIn":"none","riskState":"none","riskEventTypes_v2":[],"resourceDisplayName":"Office 365 Exchange Online","resourceId":"00000002-0000-0ff1-ce00-000000000000","status":{{"errorCode":{code},"failureReason":"Other.","additionalDetails":null}},"deviceDetail":{{"deviceId":"","displayName":"","operatingSystem":"Windows10","browser":"Chrome 120.0.0","isCompliant":false,"isManaged":false,"trustType":""}},"location":{{"city":"Tokyo","state":"Tokyo","countryOrRegion":"JP","geoCoordinates":{{"altitude":null,"latitude":35.69,"longitude":139.69}}}},"appliedConditionalAccessPolicies":[{{"id":"9bc14439-0b78-4d1e-bb27-8fab658d0e83","displayName":"Require MFA for admins","enforcedGrantControls":["Mfa"],"enforcedSessionControls":[],"result":"notApplied"}}],"authenticationDetails":[{{"authenticationStepDateTime":"2025-06-01T00:00:00Z","authenticationMethod":"Password","authenticationMethodDetail":"Password Hash Sync","succeeded":true,"authenticationStepResultDetail":"Correct Password","authenticationStepRequirement":"Primary authentication"}}],"authenticationRequirement":"singleFactorAuthentication","authenticationProtocol":"none","homeTenantId":"7f3c2a10-5b6d-4e8f-9a01-23456789abcd","resourceTenantId":"7f3c2a10-5b6d-4e8f-9a01-23456789abcd"}}"#,
        h = (i / 3600) % 24,
        m = (i / 60) % 60,
        s = i % 60,
        u = i % 500,
        a = (i / 256) % 256,
        b = i % 256,
        code = if i.is_multiple_of(10) { 50126 } else { 0 },
    )
}

fn bench(c: &mut Criterion) {
    const N: usize = 20_000;
    let records: Vec<String> = (0..N).map(record).collect();
    let page = format!(
        "{{\"@odata.context\":\"https://graph.microsoft.com/v1.0/$metadata#auditLogs/signIns\",\"value\":[{}],\"@odata.nextLink\":\"x\"}}",
        records.join(",")
    );
    let ndjson = records.join("\n");
    let opts = ReadOptions::default();
    let mut g = c.benchmark_group("graph_signin_json");
    g.throughput(Throughput::Elements(N as u64));
    g.sample_size(10);
    g.bench_function("value_page", |b| {
        b.iter(|| {
            let mut sink = Count(0, 0);
            normalize::read_reader("page.json", &mut page.as_bytes(), &opts, &mut sink);
            assert_eq!((sink.0, sink.1), (N as u64, 0));
        })
    });
    g.bench_function("ndjson", |b| {
        b.iter(|| {
            let mut sink = Count(0, 0);
            normalize::read_reader("lines.json", &mut ndjson.as_bytes(), &opts, &mut sink);
            assert_eq!((sink.0, sink.1), (N as u64, 0));
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
