"""The workspace schema: every table of every domain, importable from one place."""

from ._base import Base, IdMixin, StrEnumType, TenantMixin, TimestampMixin, UTCDateTime
from .assistant import (
    AuditEntry,
    Conversation,
    ConversationMessage,
    PendingAction,
    PendingStatus,
    TokenUsage,
    UndoRecord,
)
from .banking import (
    BankAccount,
    BankTransaction,
    Card,
    Expense,
    Frequency,
    Payee,
    ScheduledPayment,
    TransactionStatus,
)
from .clients import Client, ClientNote, ClientTag, LeadStatus, NoteKind
from .comms import (
    AutoReply,
    Channel,
    Direction,
    Message,
    MessageTemplate,
    OutboxItem,
    OutboxStatus,
    VoiceProfile,
)
from .config import HoursException, OpeningHours, Service, ServiceStaff, Staff, TaxSettings
from .documents import (
    Document,
    DocumentStatus,
    DocumentTemplate,
    SignatureRequest,
    SignatureStatus,
)
from .invoicing import (
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    Payment,
    PaymentMethod,
    Quote,
    QuoteLine,
    QuoteStatus,
)
from .kyc import KycDocument, KycEvent, KycStatus, KycSubject, KycVerification
from .scheduling import (
    Appointment,
    AppointmentStatus,
    BlockedTime,
    BookingLink,
    Resource,
    ResourceKind,
    WaitlistEntry,
    WaitlistStatus,
    WorkingHours,
)
from .shop import DiscountCode, Order, OrderLine, OrderStatus, Product
from .tasks import Importance, Note, Priority, Reminder, ReminderStatus, Task, TaskStatus
from .tenancy import Business, Department, Role, Subscription, User, UserDepartment
from .website import SectionKind, SiteStatus, WebPage, WebSection, Website

__all__ = [
    "Appointment", "AppointmentStatus", "AuditEntry", "AutoReply", "BankAccount",
    "BankTransaction", "Base", "BlockedTime", "BookingLink", "Business", "Card", "Channel",
    "Client", "ClientNote", "ClientTag", "Conversation", "ConversationMessage", "Department",
    "Direction", "DiscountCode", "Document", "DocumentStatus", "DocumentTemplate", "Expense",
    "Frequency", "HoursException", "IdMixin", "Importance", "Invoice", "InvoiceLine",
    "InvoiceStatus", "KycDocument", "KycEvent", "KycStatus", "KycSubject", "KycVerification",
    "LeadStatus", "Message", "MessageTemplate", "Note", "NoteKind", "OpeningHours", "Order",
    "OrderLine", "OrderStatus", "OutboxItem", "OutboxStatus", "Payee", "Payment",
    "PaymentMethod", "PendingAction", "PendingStatus", "Priority", "Product", "Quote",
    "QuoteLine", "QuoteStatus", "Reminder", "ReminderStatus", "Resource", "ResourceKind", "Role",
    "ScheduledPayment", "SectionKind", "Service", "ServiceStaff", "SignatureRequest",
    "SignatureStatus", "SiteStatus", "Staff", "StrEnumType", "Subscription", "Task",
    "TaskStatus", "TaxSettings", "TenantMixin", "TimestampMixin", "TokenUsage",
    "TransactionStatus", "UTCDateTime", "UndoRecord", "User", "UserDepartment", "VoiceProfile",
    "WaitlistEntry", "WaitlistStatus", "WebPage", "WebSection", "Website", "WorkingHours",
]
