"""The demo MSP's chart of accounts, items and names: a QuickBooks set-up as the playbook advises."""
from __future__ import annotations

from decimal import Decimal

COMPANY_NAME = "Northwind IT Services (demo)"

# (Id, Name, AccountType, AccountSubType)
ACCOUNTS = (
    ("1", "Sales", "Income", "SalesOfProductIncome"),
    ("2", "Hardware", "Income", "SalesOfProductIncome"),
    ("3", "Software", "Income", "SalesOfProductIncome"),
    ("4", "Labor - Hourly", "Income", "ServiceFeeIncome"),
    ("5", "Managed Services", "Income", "ServiceFeeIncome"),
    ("6", "Setup Fees", "Income", "ServiceFeeIncome"),
    ("7", "Other Income", "Income", "OtherPrimaryIncome"),
    ("8", "Discounts given", "Income", "DiscountsRefundsGiven"),
    ("9", "Accounts Receivable (A/R)", "Accounts Receivable", "AccountsReceivable"),
    ("10", "Undeposited Funds", "Other Current Asset", "UndepositedFunds"),
    ("11", "Checking", "Bank", "Checking"),
    ("12", "Board of Equalization Payable", "Other Current Liability", "GlobalTaxPayable"),
    ("13", "Opening Balance Equity", "Equity", "OpeningBalanceEquity"),
)
HOURLY_LABOR_ACCOUNT = "4"
DISCOUNT_ACCOUNT = "8"
RECEIVABLES = "9"
UNDEPOSITED_FUNDS = "10"
CHECKING = "11"
OPENING_BALANCE_EQUITY = "13"

# Item categories (Type=Category): (Id, Name)
CATEGORIES = (
    ("100", "Hardware"),
    ("101", "Software"),
    ("102", "Labor - Hourly"),
    ("103", "Managed Services"),
    ("104", "Setup"),
)

# Sellable items: key -> (Id, Name, Type, category Id or None, income account Id, unit price, taxable)
ITEMS = {
    "server": ("200", "Server - PowerEdge", "NonInventory", "100", "2", Decimal("4800.00"), True),
    "desktop": ("201", "Desktop - Business PC", "NonInventory", "100", "2", Decimal("1150.00"), True),
    "firewall": ("202", "Firewall Appliance", "NonInventory", "100", "2", Decimal("895.00"), True),
    "parts": ("203", "Parts", "NonInventory", "100", "2", Decimal("85.00"), True),
    "cabling": ("204", "Network Cabling", "NonInventory", None, "2", Decimal("240.00"), True),
    "m365": ("210", "Microsoft 365 Business (annual seat)", "NonInventory", "101", "3", Decimal("264.00"), False),
    "antivirus": ("211", "Antivirus Licence (annual)", "NonInventory", "101", "3", Decimal("45.00"), False),
    "backup": ("212", "Backup Licence (annual)", "NonInventory", "101", "3", Decimal("360.00"), False),
    "remote": ("220", "Remote Support", "Service", "102", "4", Decimal("150.00"), False),
    "onsite": ("221", "Onsite Support", "Service", "102", "4", Decimal("150.00"), False),
    "after_hours": ("222", "After-Hours Support", "Service", "102", "4", Decimal("300.00"), False),
    "msa_hourly": ("223", "Agreement Client Labor", "Service", "102", "4", Decimal("135.00"), False),
    "msa_after_hours": ("224", "Agreement Client After-Hours", "Service", "102", "4", Decimal("270.00"), False),
    "silver": ("230", "MSA - Silver", "Service", "103", "5", Decimal("500.00"), False),
    "gold": ("231", "MSA - Gold", "Service", "103", "5", Decimal("0"), False),
    "platinum": ("232", "MSA - Platinum", "Service", "103", "5", Decimal("0"), False),
    "setup_fee": ("240", "MSA Setup Fee", "Service", "104", "6", Decimal("0"), False),
    # Sold without an item category and into a generic account: these need mapping by the owner.
    "travel": ("250", "Travel", "Service", None, "7", Decimal("75.00"), False),
    "spam_filter": ("251", "Spam Filter Seats", "Service", None, "1", Decimal("3.00"), False),
    "finance_charge": ("252", "Finance Charge", "Service", None, "7", Decimal("0"), False),
}
BUNDLE = ("260", "New Workstation Bundle")  # desktop + antivirus + two onsite hours

CLASSES = (("300", "Remote"), ("301", "Onsite"))

TAX_RATE = Decimal("0.0825")

TIER_ITEM = {"Silver": "silver", "Gold": "gold", "Platinum": "platinum"}

EMPLOYEES = (("55", "Emily Platt"), ("56", "John Johnson"), ("57", "Priya Natarajan"))

_FIRST = (
    "Acme", "Bayview", "Cedar", "Delta", "Evergreen", "Falcon", "Granite", "Harbor", "Iron", "Juniper",
    "Keystone", "Lakeside", "Maple", "Northwind", "Oakridge", "Pinnacle", "Quarry", "Redwood", "Summit",
    "Tidewater", "Union", "Valley", "Westfield", "Yellowstone", "Zenith", "Aspen", "Blue Rock", "Copper",
    "Driftwood", "Elm Street", "Foothill", "Golden Gate", "Highland", "Ivy Lane", "Jasper", "Kingsley",
)
_SECOND = (
    "Dental", "Law Group", "Accounting", "Realty", "Veterinary Clinic", "Architects", "Insurance",
    "Family Practice", "Engineering", "Logistics", "Bakery", "Auto Body", "Chiropractic", "Consulting",
    "Title Company", "Construction", "Print Shop", "Physical Therapy", "Credit Union", "Nonprofit",
)


def client_name(index: int) -> str:
    """A distinct business name for every index (the Nth combination of the word lists)."""
    # (index mod 36, (index // 36 * 17 + index) mod 20) differs for every index below 720
    first = _FIRST[index % len(_FIRST)]
    second = _SECOND[(index // len(_FIRST) * 17 + index) % len(_SECOND)]
    cycle = index // (len(_FIRST) * len(_SECOND))
    return f"{first} {second}" + (f" {cycle + 1}" if cycle else "")
