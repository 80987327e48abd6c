-- The address that opens a document in QuickBooks Online, for companies that came from a sync (a file
-- load or the demo has no company to open; null then, and for kinds QuickBooks has no page of).
-- companyId picks the company for someone signed in to several: the form Intuit's own sample app builds
-- (IntuitDeveloper/SampleApp-Projects-Java, "https://app.qbo.intuit.com/app/invoice?txnId=%s&companyId=%s",
-- the realm Id as companyId). Sandbox companies open on another host, which this does not pick.
create or replace temp macro qbo_link(realm, document_type, document_id) as
    case when realm <> 'demo'
              and realm in (select realm_id from marts.mart_sync_status where last_synced_at is not null)
        then 'https://app.qbo.intuit.com/app/'
            || case document_type
                   when 'Invoice' then 'invoice'
                   when 'SalesReceipt' then 'salesreceipt'
                   when 'CreditMemo' then 'creditmemo'
                   when 'RefundReceipt' then 'refundreceipt'
                   when 'Payment' then 'recvpayment'
                   when 'JournalEntry' then 'journal'
                   when 'Deposit' then 'deposit'
                   when 'Bill' then 'bill'
                   when 'Purchase' then 'expense'
                   when 'VendorCredit' then 'vendorcredit'
               end
            || '?txnId=' || document_id || '&companyId=' || realm
    end;
